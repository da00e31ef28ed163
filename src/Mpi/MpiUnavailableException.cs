namespace Ppl.Mpi;

/// <summary>MPI was asked for but cannot be used here; the message says what to install or set.</summary>
public sealed class MpiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
