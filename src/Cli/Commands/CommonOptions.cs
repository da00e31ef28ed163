using System.CommandLine;
using System.CommandLine.Parsing;

namespace Ppl.Cli.Commands;

/// <summary>The options <c>fit</c>, <c>sample</c> and <c>eval</c> share, declared once so their spelling and help agree.</summary>
public static class CommonOptions
{
    /// <summary>The model file: a <c>.ppl</c>, or an assembly written by <c>ppl compile</c>.</summary>
    public static Argument<string> ModelFile() => new("FILE") { Description = "the model: a .ppl file, or an assembly from 'ppl compile'" };

    /// <summary><c>--data name=path</c> or <c>--data path</c>, repeatable.</summary>
    public static Option<string[]> Data() => new("--data", "-d")
    {
        Description = "a data file (.json, .csv, IDX): 'path' binds every item in it, 'name=path' one item; repeatable (default: FILE's NAME.data.json)",
        HelpName = "[name=]path",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary><c>--model NAME</c>: which model of the file.</summary>
    public static Option<string> Model() => new("--model", "-m") { Description = "the model block to use (default: the file's first)", HelpName = "NAME" };

    /// <summary><c>--seed S</c>: the random seed; the same seed gives the same numbers.</summary>
    public static Option<int> Seed() => new("--seed") { Description = "random seed (the same seed gives identical outputs)", HelpName = "S", DefaultValueFactory = _ => 1 };

    /// <summary><c>--params DIR/params.json</c>, required, an existing file.</summary>
    public static Option<string> Params()
    {
        var o = new Option<string>("--params") { Description = "the fitted parameters written by 'ppl fit' (DIR/params.json)", HelpName = "PATH", Required = true };
        return o;
    }

    /// <summary><c>--image-shape HxW</c>: the height and width of an observed site's images when they are not square.</summary>
    public static Option<string> ImageShape() => new("--image-shape")
    {
        Description = "the images' HEIGHTxWIDTH, when an observed site's elements are not square images (default: a square D = HxH with H >= 8, or an HxW matrix)",
        HelpName = "HxW",
    };

    /// <summary><c>--draws D</c>, at least 1.</summary>
    public static Option<int> Draws(int fallback) => AtLeast(new Option<int>("--draws") { Description = "number of draws", HelpName = "D", DefaultValueFactory = _ => fallback }, 1);

    /// <summary>Adds a validator: the option's value must be at least <paramref name="min"/>.</summary>
    public static Option<int> AtLeast(Option<int> option, int min)
    {
        option.Validators.Add(r => Check(r, !Parses(r, out int v) || v >= min, $"must be at least {min}"));
        return option;
    }

    /// <summary>Adds a validator: the option's value must be a positive, finite number.</summary>
    public static Option<double> Positive(Option<double> option)
    {
        option.Validators.Add(r => Check(r, !Parses(r, out double v) || (v > 0 && double.IsFinite(v)), "must be a positive number"));
        return option;
    }

    /// <summary>Whether the option's value converts (a value that does not is reported by the parser itself).</summary>
    static bool Parses<T>(OptionResult r, out T value) where T : struct
    {
        value = default;
        if (r.Tokens.Count == 0) return false;
        try { value = r.GetValueOrDefault<T>(); return true; }
        catch (InvalidOperationException) { return false; }
    }

    static void Check(OptionResult r, bool ok, string rule)
    {
        if (!ok) r.AddError($"{r.Option.Name} {rule}, got '{string.Join(" ", r.Tokens.Select(t => t.Value))}'");
    }
}
