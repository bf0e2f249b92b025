namespace Podwake.Serve;

/// <summary>Labels podwake puts on the containers it creates, so they can be found and cleaned up.</summary>
internal static class Labels
{
    public const string Service = "io.podwake.service";

    /// <summary>Which runtime created the container: <c>serve</c> or <c>systemd</c>.</summary>
    public const string Manager = "io.podwake.manager";
}
