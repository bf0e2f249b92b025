namespace Podwake.Specs;

/// <summary>Every key of the service file (README, "The service file"), grouped by the mapping it belongs to.</summary>
/// <remarks>The arrays are in the order the README's keys table lists them; error messages list them in that order.</remarks>
internal static class SpecKeys
{
    public const string Name = "name";
    public const string Image = "image";
    public const string Build = "build";
    public const string Command = "command";
    public const string Env = "env";
    public const string Volumes = "volumes";
    public const string Ports = "ports";
    public const string Idle = "idle";
    public const string Ready = "ready";
    public const string Restart = "restart";
    public const string Update = "update";
    public const string User = "user";
    public const string RunAs = "run_as";
    public const string Expose = "expose";
    public const string Pod = "pod";
    public const string Hold = "hold";
    public const string Udp = "udp";
    public const string Sidecar = "sidecar";
    public const string EnvFile = "env_file";
    public const string Secrets = "secrets";
    public const string Resources = "resources";
    public const string PodmanArgs = "podman_args";

    public const string Memory = "memory";
    public const string Cpus = "cpus";
    public const string Pids = "pids";

    public const string File = "file";
    public const string Target = "target";

    public const string Listen = "listen";
    public const string Container = "container";
    public const string Protocol = "protocol";
    public const string Mode = "mode";
    public const string Owner = "owner";

    public const string Tcp = "tcp";
    public const string Http = "http";
    public const string Exec = "exec";
    public const string Port = "port";
    public const string Timeout = "timeout";

    public const string FlowIdle = "flow_idle";
    public const string HoldDatagrams = "hold_datagrams";
    public const string HoldBytes = "hold_bytes";
    public const string MaxFlows = "max_flows";

    public const string Context = "context";
    public const string Containerfile = "containerfile";
    public const string Args = "args";

    public const string To = "to";

    public const string Wrapper = "wrapper";
    public const string Key = "key";
    public const string PassEnv = "pass_env";
    public const string Foreground = "foreground";

    public static readonly IReadOnlyList<string> Service =
        [Name, Image, Build, Command, Env, EnvFile, Secrets, Volumes, User, Resources, PodmanArgs, Ports, Idle, Ready, Restart, Update, RunAs, Expose, Pod, Hold, Udp, Sidecar];

    public static readonly IReadOnlyList<string> ResourcesMapping = [Memory, Cpus, Pids];

    public static readonly IReadOnlyList<string> SecretItem = [Name, File, Env, Target];

    public static readonly IReadOnlyList<string> PortItem = [Listen, Container, Protocol, Mode, Owner];

    public static readonly IReadOnlyList<string> ReadyProbe = [Tcp, Udp, Http, Exec, Port, Timeout];

    public static readonly IReadOnlyList<string> UdpMapping = [FlowIdle, HoldDatagrams, HoldBytes, MaxFlows];

    public static readonly IReadOnlyList<string> BuildMapping = [Context, Containerfile, Args];

    public static readonly IReadOnlyList<string> ExposeItem = [Listen, To];

    public static readonly IReadOnlyList<string> SidecarMapping = [Wrapper, Command, Key, PassEnv, Foreground, Timeout];
}
