using Ppl.Runtime.Params;

namespace Ppl.Cli.Commands;

/// <summary>Reads a <c>params.json</c> given on the command line, turning a missing or corrupt file into a user error naming it.</summary>
public static class ParamsFile
{
    /// <summary>The saved parameters of <paramref name="path"/>.</summary>
    public static IReadOnlyList<ParamStoreFile.Saved> Read(string path)
    {
        try
        {
            return ParamStoreFile.Read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserException($"{path}: no such parameter file (write one with 'ppl fit ... --out DIR')");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new UserException(e is InvalidDataException ? e.Message : $"{path}: {e.Message}");
        }
    }
}
