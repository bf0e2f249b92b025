namespace Podwake.Specs;

/// <summary>
/// One <c>secrets:</c> item: a podman secret the container gets, as a file (<see cref="Target"/>) or as a variable
/// (<see cref="Env"/>). With <see cref="File"/>, podwake creates the podman secret from that host file (named
/// <see cref="PodmanName"/>); without, the secret <see cref="Name"/> must exist (<c>podman secret create</c>).
/// </summary>
internal sealed record SecretSpec
{
    /// <summary>The folder podman mounts secrets in by default.</summary>
    public const string DefaultFolder = "/run/secrets";

    public required string Name { get; init; }

    /// <summary>Absolute host path of the secret's value; null = an existing podman secret named <see cref="Name"/>.</summary>
    public string? File { get; init; }

    /// <summary>The variable the value is exported as; null = a file at <see cref="Target"/>.</summary>
    public string? Env { get; init; }

    /// <summary>Absolute path of the file in the container (default <c>/run/secrets/NAME</c>); null when <see cref="Env"/> is set.</summary>
    public string? Target { get; init; }

    /// <summary>
    /// A keyed digest of <see cref="File"/>'s content when it was loaded (keyed with the host's machine ID, so a label
    /// shown elsewhere cannot be checked against guessed values); null without a file.
    /// </summary>
    public string? Fingerprint { get; init; }

    public required SourceLocation Location { get; init; }

    /// <summary>The podman secret's name: podwake's own (<c>podwake-SERVICE.NAME</c>) when made from <see cref="File"/>.</summary>
    public string PodmanName(string service) => File is null ? Name : $"{OwnPrefix(service)}{Name}";

    /// <summary>What podwake's own secrets of a service begin with (a service name has no '.', so no other service's do).</summary>
    public static string OwnPrefix(string service) => $"podwake-{service}.";

    /// <summary>Where the value goes in the container: <c>$VARIABLE</c> or the file's path (one secret per place).</summary>
    public string Destination => Env is { } variable ? $"${variable}" : Target!;

    /// <summary>
    /// podman's <c>--secret</c> value. A file keeps the value out of the container's configuration; a variable does not
    /// on podman 4.3, which writes it into the container's environment at create time (<c>podman inspect</c> shows it).
    /// </summary>
    public string CreateOption(string service) =>
        Env is { } variable ? $"{PodmanName(service)},type=env,target={variable}" : $"{PodmanName(service)},type=mount,target={Target}";
}
