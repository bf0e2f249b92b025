namespace Podwake.Units;

/// <summary>The section names podwake writes, as in systemd.unit(5), systemd.socket(5), systemd.path(5) and systemd.service(5).</summary>
internal static class UnitSections
{
    public const string Unit = "Unit";
    public const string Socket = "Socket";
    public const string Service = "Service";
    public const string Timer = "Timer";
    public const string Path = "Path";
    public const string Install = "Install";
}
