namespace Podwake.Host;

/// <summary>What a host tool did: its exit status and what it printed.</summary>
/// <param name="CommandLine">The command as a person would type it, for messages.</param>
internal sealed record ExternalCommandResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws <see cref="ExternalCommandException"/> unless the command exited 0.</summary>
    /// <param name="what">What was attempted, for "Failed to WHAT".</param>
    public ExternalCommandResult ThrowIfFailed(string what) =>
        Succeeded ? this : throw new ExternalCommandException(what, this);
}
