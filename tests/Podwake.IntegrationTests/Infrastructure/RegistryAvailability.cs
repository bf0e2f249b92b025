namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>Whether the programs a <see cref="TestRegistry"/> needs are installed; checked once per test run.</summary>
internal static class RegistryAvailability
{
    private static readonly Lazy<string?> LazySkipReason = new(Probe);

    /// <summary>null when podman works and docker-registry and htpasswd are installed; otherwise why not.</summary>
    public static string? SkipReason => LazySkipReason.Value;

    private static string? Probe()
    {
        if (PodmanAvailability.SkipReason is { } podman)
        {
            return podman;
        }

        var path = Environment.GetEnvironmentVariable("PATH");
        if (Podwake.Podman.PodmanEnvironment.FindOnPath(TestRegistry.Program, path) is null)
        {
            return "docker-registry is not installed (apt-get install docker-registry, or run scripts/setup-dev)";
        }

        return Podwake.Podman.PodmanEnvironment.FindOnPath("htpasswd", path) is null
            ? "htpasswd is not installed (apt-get install apache2-utils, or run scripts/setup-dev)"
            : null;
    }
}
