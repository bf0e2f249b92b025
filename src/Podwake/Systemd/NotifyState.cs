namespace Podwake.Systemd;

/// <summary>One sd_notify(3) assignment, typed so no caller spells the protocol by hand.</summary>
internal readonly record struct NotifyState(string Assignment)
{
    /// <summary>Startup finished: systemd marks the unit active.</summary>
    public static NotifyState Ready { get; } = new("READY=1");

    /// <summary>The service is shutting down.</summary>
    public static NotifyState Stopping { get; } = new("STOPPING=1");

    /// <summary>A one-line status shown by <c>systemctl status</c>.</summary>
    public static NotifyState Status(string text) => new($"STATUS={text.ReplaceLineEndings(" ")}");

    public override string ToString() => Assignment;
}
