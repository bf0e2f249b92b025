namespace Podwake.Host;

/// <summary>A host tool exited non-zero; the message names what failed, the command and what it printed.</summary>
internal sealed class ExternalCommandException : Exception
{
    public ExternalCommandException(string what, ExternalCommandResult result)
        : base($"Failed to {what}: `{result.CommandLine}` exited {result.ExitCode}{Detail(result)}")
    {
        Result = result;
    }

    public ExternalCommandResult Result { get; }

    private static string Detail(ExternalCommandResult result)
    {
        var text = (result.Stderr.Trim().Length > 0 ? result.Stderr : result.Stdout).Trim();
        return text.Length == 0 ? "" : $": {text}";
    }
}
