using System.Net;
using System.Net.Sockets;
using Podwake.Activation;
using Podwake.Proxy;

namespace Podwake.Tests.Proxy;

/// <summary>
/// A workload whose container port 8080 (tcp and udp) is a loopback backend, ready as soon as started (or once <see cref="StartGate"/>
/// is set); it keeps every socket the proxy opens to it, so a test sees which flow's socket is closed.
/// </summary>
internal sealed class LoopbackBackendWorkload(IPEndPoint backend) : IWorkload
{
    private readonly List<Socket> _sockets = [];

    /// <summary>When set, StartAsync waits for it: datagrams are held meanwhile.</summary>
    public TaskCompletionSource? StartGate { get; init; }

    /// <summary>The sockets the proxy opened to the backend, in the order it opened them.</summary>
    public IReadOnlyList<Socket> Sockets
    {
        get
        {
            lock (_sockets)
            {
                return [.. _sockets];
            }
        }
    }

    public async Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken)
    {
        if (StartGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        // Never exits on its own: these tests are about the proxy.
        return new WorkloadRun(generation, new Backend(new Dictionary<int, IPEndPoint> { [8080] = backend }, NewSocket), new TaskCompletionSource<int?>().Task);
    }

    public Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken) =>
        Task.FromResult(WorkloadExit.DuringStart("podwake-svc", exitCode, []));

    public Task StopAsync(WorkloadRun? run, CancellationToken cancellationToken) => Task.CompletedTask;

    private Socket NewSocket(AddressFamily family, SocketType type)
    {
        var socket = new Socket(family, type, Backend.ProtocolFor(type));
        lock (_sockets)
        {
            _sockets.Add(socket);
        }

        return socket;
    }
}
