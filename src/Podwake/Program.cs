using System.CommandLine;
using Podwake.Cli;

// A proxy's work is a receive followed by a send: run those continuations on the socket engine's
// epoll thread instead of queueing each to the thread pool (as systemd-socket-proxyd runs its copy
// loop on its event loop). Measured with bench/run's warm test on 2 cores. Nothing podwake runs
// after a socket completes blocks. The runtime reads this at the first socket operation; a value
// set by the user wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// Commands handle SIGINT/SIGTERM themselves: serve must remove its containers before it exits,
// which System.CommandLine's default two-second termination timeout would cut short.
return await PodwakeCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
