namespace Podwake.Units;

/// <summary>Every key podwake writes into a unit file, one constant each, grouped by the man page that defines it.</summary>
internal static class UnitKeys
{
    // systemd.unit(5), [Unit]
    public const string Description = "Description";
    public const string Documentation = "Documentation";
    public const string Requires = "Requires";
    public const string Wants = "Wants";
    public const string After = "After";
    public const string StopWhenUnneeded = "StopWhenUnneeded";
    public const string RequiresMountsFor = "RequiresMountsFor";
    public const string StartLimitIntervalSec = "StartLimitIntervalSec";

    // systemd.timer(5)
    public const string OnCalendar = "OnCalendar";
    public const string OnActiveSec = "OnActiveSec";
    public const string OnUnitActiveSec = "OnUnitActiveSec";
    public const string RandomizedDelaySec = "RandomizedDelaySec";
    public const string Persistent = "Persistent";

    // systemd.path(5)
    public const string PathModified = "PathModified";
    public const string DirectoryNotEmpty = "DirectoryNotEmpty";
    public const string Unit = "Unit";

    // systemd.unit(5), [Install]
    public const string WantedBy = "WantedBy";

    // systemd.socket(5)
    public const string ListenStream = "ListenStream";
    public const string Accept = "Accept";
    public const string MaxConnections = "MaxConnections";
    public const string CollectMode = "CollectMode";
    public const string RuntimeMaxSec = "RuntimeMaxSec";
    public const string ListenDatagram = "ListenDatagram";
    public const string BindIPv6Only = "BindIPv6Only";
    public const string Backlog = "Backlog";
    public const string ReceiveBuffer = "ReceiveBuffer";
    public const string FileDescriptorName = "FileDescriptorName";
    public const string SocketMode = "SocketMode";
    public const string SocketUser = "SocketUser";
    public const string SocketGroup = "SocketGroup";
    public const string RemoveOnStop = "RemoveOnStop";
    public const string Service = "Service";

    // systemd.service(5) and systemd.exec(5)
    public const string Type = "Type";
    public const string NotifyAccess = "NotifyAccess";
    public const string Environment = "Environment";
    public const string ExecStart = "ExecStart";
    public const string ExecStop = "ExecStop";
    public const string ExecStopPost = "ExecStopPost";

    public const string ExecStartPre = "ExecStartPre";

    public const string ExecStartPost = "ExecStartPost";
    public const string Restart = "Restart";
    public const string TimeoutStopSec = "TimeoutStopSec";
    public const string TimeoutStartSec = "TimeoutStartSec";
    public const string KillMode = "KillMode";
    public const string SuccessExitStatus = "SuccessExitStatus";
    public const string RuntimeDirectory = "RuntimeDirectory";
    public const string RemainAfterExit = "RemainAfterExit";
    public const string PIDFile = "PIDFile";
}
