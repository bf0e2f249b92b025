using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Updates;

namespace Podwake.Serve;

/// <summary>
/// One service inside a serve: the composed service (activator and listeners), its container, and while an update
/// runs the new container beside it; the image digest it runs and its last update, for status.
/// </summary>
internal sealed class ServiceRuntime(ActivatedService service, IServeWorkload workload)
{
    private IServeWorkload _workload = workload;
    private ContainerWorkload? _candidate;
    private UpdateResult? _lastUpdate;
    private string? _imageDigest;

    public ActivatedService Service { get; } = service;

    /// <summary>A service as serve runs it: its container (<see cref="ContainerWorkload"/>) or its pod (<see cref="PodWorkload"/>), and its listeners.</summary>
    public static ServiceRuntime Compose(
        ServiceSpec spec, IReadOnlyList<(PortSpec Port, Socket Socket)> sockets, PodmanClient podman, bool rootless, RuntimePaths paths, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger($"podwake.{spec.Name}");
        IServeWorkload workload = spec.Kube is null
            ? new ContainerWorkload(spec, podman, rootless, time, logger)
            : new PodWorkload(spec, podman, rootless, paths, time, logger);
        return new ServiceRuntime(ActivatedService.Compose(spec, workload, sockets, time, loggers), workload);
    }

    public ServiceSpec Spec => Service.Spec;

    public IReadOnlyList<string> ListenAddresses => Service.ListenAddresses;

    /// <summary>The service's container (another one after an update), or its pod.</summary>
    public IServeWorkload Workload
    {
        get => Volatile.Read(ref _workload);
        set => Volatile.Write(ref _workload, value);
    }

    /// <summary>An update's new container while the update runs (it gets podman's events too), else null.</summary>
    public ContainerWorkload? Candidate
    {
        get => Volatile.Read(ref _candidate);
        set => Volatile.Write(ref _candidate, value);
    }

    public UpdateResult? LastUpdate
    {
        get => Volatile.Read(ref _lastUpdate);
        set => Volatile.Write(ref _lastUpdate, value);
    }

    /// <summary>The manifest digest of the image the container runs; null when unknown or the image was built here.</summary>
    public string? ImageDigest
    {
        get => Volatile.Read(ref _imageDigest);
        set => Volatile.Write(ref _imageDigest, value);
    }

    /// <summary>One of podman's events, to every container of the service (one runs, an update's new one may start).</summary>
    public void OnEvent(PodmanEvent podmanEvent)
    {
        Workload.OnEvent(podmanEvent);
        Candidate?.OnEvent(podmanEvent);
    }

    public ServiceStatus Status() => Service.Status() with { Pod = Spec.Kube is null ? null : Workload.DisplayName, Image = Spec.Image, ImageDigest = ImageDigest, LastUpdate = LastUpdate };
}
