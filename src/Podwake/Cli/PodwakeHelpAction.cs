using System.CommandLine;
using System.CommandLine.Invocation;

namespace Podwake.Cli;

/// <summary>The action of <c>--help</c> on every command: <see cref="HelpWriter"/> for the command it follows.</summary>
internal sealed class PodwakeHelpAction : SynchronousCommandLineAction
{
    /// <summary>As System.CommandLine's help: <c>--help</c> wins over a missing argument.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        HelpWriter.Write(parseResult.CommandResult.Command, parseResult.InvocationConfiguration.Output);
        return ExitCodes.Success;
    }
}
