namespace Ppl.Cli;

/// <summary>
/// A problem with the user's input that is not a file's syntax (a guide the file does not have, a model name it does
/// not define): exit code 1, the message printed as is, so it must name the place.
/// </summary>
public sealed class UserException(string message) : Exception(message);
