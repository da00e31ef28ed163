namespace Ppl.Cli;

/// <summary>A wrong command line that the parser cannot see (an unknown benchmark name, a value out of range): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
