using System.CommandLine;
using System.CommandLine.Invocation;

namespace Podwake.Cli;

/// <summary><c>podwake --version</c>: <see cref="VersionText.Current"/> instead of System.CommandLine's bare version number.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(VersionText.Current);
        return ExitCodes.Success;
    }
}
