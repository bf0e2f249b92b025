using System.CommandLine;
using Podwake.Cli;

// Commands handle SIGINT/SIGTERM themselves: serve must remove its containers before it exits,
// which System.CommandLine's default two-second termination timeout would cut short.
return await PodwakeCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
