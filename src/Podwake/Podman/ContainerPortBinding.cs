namespace Podwake.Podman;

/// <summary>One host binding of a published port, as inspect reports it (the port is a string there).</summary>
internal sealed record ContainerPortBinding
{
    public string? HostIp { get; init; }

    public string? HostPort { get; init; }
}
