namespace Ppl.Language.Diagnostics;

/// <summary>
/// The stable diagnostic codes. Codes are never reused or renumbered: scripts and the bad-program corpus
/// (tests/Language/Cases/bad) match on them. PPL1xxx syntax, PPL2xxx semantic, PPL3xxx internal.
/// </summary>
public static class ErrorCode
{
    // Syntax (PPL1xxx)
    /// <summary>The parser met a token it did not expect.</summary>
    public const string Syntax = "PPL1001";
    /// <summary>An opening bracket is never closed.</summary>
    public const string UnclosedBracket = "PPL1002";
    /// <summary>A closing bracket has no opening one.</summary>
    public const string UnmatchedBracket = "PPL1003";
    /// <summary>A closing bracket of the wrong kind, e.g. <c>(]</c>.</summary>
    public const string MismatchedBracket = "PPL1004";
    /// <summary>A character that is not part of the language.</summary>
    public const string InvalidCharacter = "PPL1005";
    /// <summary>A number that does not fit (an int over 2^31-1, a real overflowing).</summary>
    public const string BadNumber = "PPL1006";
    /// <summary>Brackets nested deeper than the parser supports.</summary>
    public const string TooDeep = "PPL1007";

    // Semantic (PPL2xxx)
    /// <summary>A name that is not defined.</summary>
    public const string UnknownName = "PPL2001";
    /// <summary>A name defined twice in one scope.</summary>
    public const string Redefined = "PPL2002";
    /// <summary>A call of a function that does not exist.</summary>
    public const string UnknownFunction = "PPL2003";
    /// <summary>A distribution that does not exist.</summary>
    public const string UnknownDistribution = "PPL2004";
    /// <summary>Too many or too few arguments.</summary>
    public const string ArgumentCount = "PPL2005";
    /// <summary>A named argument the callee does not have.</summary>
    public const string UnknownArgument = "PPL2006";
    /// <summary>A required argument is missing.</summary>
    public const string MissingArgument = "PPL2007";
    /// <summary>An argument given twice, or positional after named.</summary>
    public const string DuplicateArgument = "PPL2008";
    /// <summary>Wrong scalar kind (int, real, bool).</summary>
    public const string TypeMismatch = "PPL2009";
    /// <summary>Shapes that cannot broadcast or do not agree.</summary>
    public const string ShapeMismatch = "PPL2010";
    /// <summary>Bad indexing: too many indices, non-int index, indexing a scalar.</summary>
    public const string BadIndex = "PPL2011";
    /// <summary>A size (shape, plate, loop bound, net size) that is not computed from data alone.</summary>
    public const string SizeNotData = "PPL2012";
    /// <summary>The left of <c>~</c> is computed from latent values.</summary>
    public const string NotObservable = "PPL2013";
    /// <summary>A site name used twice.</summary>
    public const string DuplicateSite = "PPL2014";
    /// <summary>A site's index does not use the enclosing loop/plate variables as required.</summary>
    public const string SiteIndex = "PPL2015";
    /// <summary>A site type after something other than a plain name.</summary>
    public const string TypedTarget = "PPL2016";
    /// <summary>A guide for a model that does not exist.</summary>
    public const string UnknownModel = "PPL2017";
    /// <summary>A guide that does not sample one of its model's latent sites.</summary>
    public const string GuideMissesSite = "PPL2018";
    /// <summary>A guide samples a site its model does not have.</summary>
    public const string GuideExtraSite = "PPL2019";
    /// <summary>A guide site whose shape or plates differ from the model's.</summary>
    public const string GuideSiteShape = "PPL2020";
    /// <summary>A guide that observes data.</summary>
    public const string GuideObserves = "PPL2021";
    /// <summary>A statement not allowed in a guide (data declaration, factor).</summary>
    public const string NotInGuide = "PPL2022";
    /// <summary>A flow that does not exist.</summary>
    public const string UnknownFlow = "PPL2023";
    /// <summary>A constant argument outside the parameter's domain (e.g. a negative scale).</summary>
    public const string InvalidValue = "PPL2025";
    /// <summary>A site type that disagrees with the distribution's support.</summary>
    public const string SupportMismatch = "PPL2026";
    /// <summary>An observed value of the wrong kind for the distribution (real data for a Poisson).</summary>
    public const string ObservedKind = "PPL2027";
    /// <summary>An unknown network kind or activation.</summary>
    public const string BadNet = "PPL2028";
    /// <summary>A condition that is not bool, or varies over a plate.</summary>
    public const string BadCondition = "PPL2030";
    /// <summary>Two blocks with the same name.</summary>
    public const string DuplicateBlock = "PPL2031";
    /// <summary>A file without any model.</summary>
    public const string NoModel = "PPL2032";
    /// <summary>A name used above its definition.</summary>
    public const string UsedBeforeDefinition = "PPL2034";
    /// <summary>A name that would hide a built-in function.</summary>
    public const string ReservedName = "PPL2035";
    /// <summary>A latent sampled element by element used as a whole.</summary>
    public const string ElementwiseLatent = "PPL2037";
    /// <summary>A subsample larger than its plate.</summary>
    public const string BadSubsample = "PPL2040";
    /// <summary>A plate or loop variable assigned to, or a block-only statement in the wrong place.</summary>
    public const string Misplaced = "PPL2041";

    // Internal (PPL3xxx)
    /// <summary>The generated C# did not compile: a bug in ppl.</summary>
    public const string GeneratedCode = "PPL3001";
    /// <summary>A compiler stage failed unexpectedly: a bug in ppl.</summary>
    public const string InternalFailure = "PPL3002";
    /// <summary>The generated code needs a runtime type or member this build of Ppl.Runtime lacks.</summary>
    public const string RuntimeMissing = "PPL3003";
}
