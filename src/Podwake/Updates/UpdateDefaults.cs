namespace Podwake.Updates;

/// <summary>The fixed times of an update (README, "Updates").</summary>
internal static class UpdateDefaults
{
    /// <summary>
    /// How long the old container's open connections may go on after the new one took over: then they are closed
    /// (FIN, as at an idle stop) and the old container stops. Long enough for any request; a connection that is
    /// meant to stay open (a websocket, a database session) is cut once, as a restart would.
    /// </summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);
}
