using System.Collections.Frozen;

namespace Podwake.Specs;

/// <summary>
/// What a compose file or a Quadlet <c>.container</c> unit calls the things podwake's service file has: a user who
/// writes <c>environment:</c> or <c>PublishPort=</c> out of habit is told podwake's key, not only that the key is unknown.
/// </summary>
internal static class ForeignKeys
{
    private static readonly FrozenDictionary<string, string> Service = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // compose (compose-spec "services" keys)
        ["environment"] = "compose's environment: is env: here, a mapping like env: { GREETING: hello }",
        ["healthcheck"] = "compose's healthcheck: is ready: here (tcp: PORT, http: /path or exec: [cmd]), which also gates the first request",
        ["restart_policy"] = "compose's deploy.restart_policy is restart: here (no, on-failure or always)",
        ["deploy"] = "compose's deploy: has no single counterpart: resources: for limits, restart: for the policy",
        ["mem_limit"] = "compose's mem_limit: is resources.memory here, e.g. resources: { memory: 256m }",
        ["memswap_limit"] = "podwake sets no swap limit; resources.memory limits the memory",
        ["cpus"] = "compose's cpus: is resources.cpus here, e.g. resources: { cpus: 0.5 }",
        ["pids_limit"] = "compose's pids_limit: is resources.pids here, e.g. resources: { pids: 512 }",
        ["container_name"] = "the container is named podwake-NAME after name:",
        ["entrypoint"] = "command: replaces the image's command; for another entrypoint use podman_args: [--entrypoint=...]",
        ["cap_add"] = "use podman_args: [--cap-add=NAME]",
        ["cap_drop"] = "use podman_args: [--cap-drop=ALL]",
        ["security_opt"] = "use podman_args: [--security-opt=...]",
        ["read_only"] = "use podman_args: [--read-only]",
        ["working_dir"] = "use podman_args: [--workdir=/path]",
        ["hostname"] = "use podman_args: [--hostname=NAME]",
        ["labels"] = "podwake labels its containers itself; put your labels in the image",
        ["networks"] = "podwake gives the container its own network namespace and proxies into it; ports: says where clients connect",
        ["network_mode"] = "podwake gives the container its own network namespace and proxies into it; ports: says where clients connect",
        ["depends_on"] = "one service per container; for containers that must run together use pod: with a Kubernetes pod file",
        ["ulimits"] = "use podman_args: [--ulimit=nofile=1024:1024]",
        ["tmpfs"] = "use podman_args: [--tmpfs=/tmp]",
        ["devices"] = "use podman_args: [--device=/dev/...]",
        ["stop_grace_period"] = "podwake stops containers with an init as PID 1, in milliseconds; there is no grace period to set",

        // Quadlet [Container] keys (podman-systemd.unit(5)) and systemd's [Service] ones
        ["Image"] = "Quadlet's Image= is image: here",
        ["Exec"] = "Quadlet's Exec= is command: here, a list like [/bin/app, --flag]",
        ["Environment"] = "Quadlet's Environment= is env: here, a mapping like env: { GREETING: hello }",
        ["EnvironmentFile"] = "Quadlet's EnvironmentFile= is env_file: here, e.g. env_file: [./app.env]",
        ["PublishPort"] = "Quadlet's PublishPort= is ports: here: - listen: 127.0.0.1:8080 (host side) with container: 80",
        ["ExposeHostPort"] = "ports: says where clients connect: - listen: 8080 with container: 80",
        ["Volume"] = "Quadlet's Volume= is volumes: here, a list like [\"./www:/www:ro\"]",
        ["User"] = "Quadlet's User= is user: here (the user inside the container)",
        ["Secret"] = "Quadlet's Secret= is secrets: here, e.g. [{name: db-pass, env: DB_PASSWORD}]",
        ["PodmanArgs"] = "Quadlet's PodmanArgs= is podman_args: here, a list like [--cap-drop=ALL]",
        ["ContainerName"] = "the container is named podwake-NAME after name:",
        ["HealthCmd"] = "Quadlet's HealthCmd= is ready: here, e.g. ready: { exec: [/bin/check] }",
        ["AutoUpdate"] = "Quadlet's AutoUpdate= is update: here (registry or local)",
        ["Pod"] = "Quadlet's Pod= is pod: here, naming a Kubernetes pod file",
        ["Network"] = "podwake gives the container its own network namespace and proxies into it; ports: says where clients connect",
        ["Label"] = "podwake labels its containers itself; put your labels in the image",
        ["AddCapability"] = "use podman_args: [--cap-add=NAME]",
        ["DropCapability"] = "use podman_args: [--cap-drop=ALL]",
        ["ReadOnly"] = "use podman_args: [--read-only]",
        ["Restart"] = "systemd's Restart= is restart: here (no, on-failure or always)",
        ["TimeoutStartSec"] = "the wake's timeout is ready.timeout here, e.g. ready: { timeout: 30s }",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> PortItem = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["target"] = "compose's target: is container: here, the port inside the container",
        ["published"] = "compose's published: is listen: here, where clients connect (8080 or 127.0.0.1:8080)",
        ["host_ip"] = "write the address in listen: here, e.g. listen: 127.0.0.1:8080",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>podwake's counterpart of a compose or Quadlet key, or null; <paramref name="context"/> is the mapping's key path ("" at the top).</summary>
    public static string? Counterpart(string key, string context) => context switch
    {
        "" => Service.GetValueOrDefault(key),
        _ when context.StartsWith(SpecKeys.Ports, StringComparison.Ordinal) => PortItem.GetValueOrDefault(key),
        _ => null,
    };
}
