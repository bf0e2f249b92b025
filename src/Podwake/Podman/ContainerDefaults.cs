namespace Podwake.Podman;

/// <summary>What podwake sets on every container it creates, whichever runtime creates it.</summary>
internal static class ContainerDefaults
{
    /// <summary>
    /// Seconds podman waits after the stop signal before it kills the container: the same for serve's API stop,
    /// its <c>podman rm --time</c> fallback, and the container unit's <c>--stop-timeout</c> and <c>ExecStop</c>.
    /// </summary>
    public const int StopTimeoutSeconds = 10;
}
