using Podwake.Systemd;

namespace Podwake.Deploy;

/// <summary>One file deploy writes or removes, and the manager that must reload when it changes.</summary>
/// <param name="Manager">The manager that reads it; null for podwake's own index (<c>/etc/podwake/deployed</c>).</param>
/// <param name="Content">The new text; null when the file is removed.</param>
internal sealed record PlannedFile(string Path, string? Content, FileChange Change, SystemdManager? Manager)
{
    public bool Changes => Change != FileChange.Unchanged;

    /// <summary>An update of a unit that changes only the path of the podwake binary it runs (<see cref="PodwakePathChange"/>).</summary>
    public bool OnlyPodwakePath { get; init; }

    public bool IsUnit => Manager is not null && System.IO.Path.GetExtension(Path) is ".service" or ".socket" or ".path";
}
