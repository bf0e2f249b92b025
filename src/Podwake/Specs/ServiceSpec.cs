namespace Podwake.Specs;

/// <summary>One service as declared in a YAML file, validated and with paths made absolute.</summary>
internal sealed record ServiceSpec
{
    public const int DefaultHold = 512;
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromSeconds(30);

    public required string Name { get; init; }

    /// <summary>Image reference; null only when <see cref="Pod"/> is set.</summary>
    public string? Image { get; init; }

    public BuildSpec? Build { get; init; }

    /// <summary>Overrides the image's command when not null.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary><c>env_file:</c>, in order; <see cref="Env"/> wins over them, as in compose and podman.</summary>
    public IReadOnlyList<EnvFileSpec> EnvFiles { get; init; } = [];

    public IReadOnlyList<SecretSpec> Secrets { get; init; } = [];

    public IReadOnlyList<VolumeSpec> Volumes { get; init; } = [];

    public ResourceSpec Resources { get; init; } = new();

    /// <summary><c>podman_args:</c>, added to <c>podman create</c> before the image (none of the options podwake sets).</summary>
    public IReadOnlyList<string> PodmanArgs { get; init; } = [];

    public IReadOnlyList<PortSpec> Ports { get; init; } = [];

    /// <summary>Quiet time before the container is stopped; null means "never" (always for a <see cref="Sidecar"/> service).</summary>
    public TimeSpan? Idle { get; init; } = DefaultIdle;

    /// <summary>When traffic may flow to a woken container.</summary>
    /// <remarks>
    /// A <see cref="Sidecar"/> service has no port to probe: its container counts as ready once it runs. Its Ready is a
    /// TCP probe of port 0, never run, whose <see cref="ReadySpec.Timeout"/> is <see cref="SidecarSpec.Timeout"/>.
    /// </remarks>
    public required ReadySpec Ready { get; init; }

    public RestartPolicy Restart { get; init; } = RestartPolicy.OnFailure;

    public UpdatePolicy Update { get; init; } = UpdatePolicy.None;

    /// <summary>The host account that runs the service rootless (<c>run_as:</c>), created by deploy as root; null = whoever deploys.</summary>
    public string? RunAs { get; init; }

    /// <summary>Where <c>run_as:</c> was written, for messages of commands that cannot honour it (serve).</summary>
    public SourceLocation? RunAsLocation { get; init; }

    /// <summary>The user inside the container (<c>user:</c>, podman's <c>--user</c>): NAME, UID, NAME:GROUP or UID:GID; null = the image's.</summary>
    public string? User { get; init; }

    public IReadOnlyList<ExposeSpec> Expose { get; init; } = [];

    /// <summary>Absolute path of a Kubernetes Pod/Deployment file run with podman kube play.</summary>
    public string? Pod { get; init; }

    /// <summary>The pod file as read and checked when the service was loaded; set exactly when <see cref="Pod"/> is.</summary>
    public KubeWorkload? Kube { get; init; }

    /// <summary>
    /// A command-activated side-car service (<c>sidecar:</c>): a container per key, started by calls of a wrapper. Such a
    /// service has no <see cref="Ports"/>, <see cref="Expose"/>, <see cref="Command"/> (the container runs
    /// <see cref="SidecarSpec.Command"/>), <see cref="RunAs"/> or <see cref="Pod"/>, and <see cref="Update"/> is none.
    /// </summary>
    public SidecarSpec? Sidecar { get; init; }

    /// <summary>Most connections held while the service is dormant or waking; past it new ones are closed and counted.</summary>
    /// <remarks>
    /// The <c>hold:</c> key (a positive integer, default <see cref="DefaultHold"/>) is a podwake extension to the
    /// service-file contract (README, "The service file"), which asks for the bound to be configurable without naming a key.
    /// </remarks>
    public int Hold { get; init; } = DefaultHold;

    /// <summary>Flow table and buffer bounds of the udp ports (the <c>udp:</c> key, a podwake extension).</summary>
    public UdpSpec Udp { get; init; } = new();

    /// <summary>Where the service's document starts (its first key).</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>Container name derived from <see cref="Name"/>.</summary>
    public string ContainerName => $"podwake-{Name}";
}
