using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Units;

public sealed class UnitGeneratorSidecarTests
{
    [Fact]
    public void GenerateSidecar_StateFolderWithSpaceAndPercent_PathUnitNamesItExactly()
    {
        var spec = SidecarTestSpecs.Dnsmasq();
        const string state = "/home/a b/100%x/.local/state/podwake/sidecars/dnsmasq";

        var units = UnitGenerator.GenerateSidecar(spec, new UnitGeneratorOptions { Rootless = true }, state + "/timestamp", state + "/calls");

        Assert.Equal(["podwake-dnsmasq-sidecar.path", "podwake-dnsmasq-sidecar.service"], units.Select(u => u.Name));
        var path = UnitFile.Parse(units[0].File.ToString());
        // systemd resolves specifiers in a path value and nothing else: %% is one %, any other % a specifier; the space stays.
        Assert.Equal(state + "/timestamp", PathValue(path.Get(UnitSections.Path, UnitKeys.PathModified)!));
        Assert.Equal(state + "/calls", PathValue(path.Get(UnitSections.Path, UnitKeys.DirectoryNotEmpty)!));
        Assert.Equal("podwake-dnsmasq-sidecar.service", path.Get(UnitSections.Path, UnitKeys.Unit));
    }

    [Fact]
    public void GenerateSidecar_SyncRunsThePodwakeOfTheOptionsOnTheSpecCopy()
    {
        var units = UnitGenerator.GenerateSidecar(SidecarTestSpecs.Dnsmasq(), new UnitGeneratorOptions { PodwakePath = "/opt/pod wake/podwake" }, "/s/timestamp", "/s/calls");

        var sync = UnitFile.Parse(units[1].File.ToString());
        // %E (the manager's configuration directory) is the one specifier meant to be expanded.
        var line = sync.Get(UnitSections.Service, UnitKeys.ExecStart)!.Replace("%E", "/etc", StringComparison.Ordinal);
        Assert.Equal(["/opt/pod wake/podwake", "sidecar", "sync", "dnsmasq", "--spec", "/etc/podwake/services/dnsmasq.yaml"], SystemdWords.SplitExec(line));
        Assert.Equal("oneshot", sync.Get(UnitSections.Service, UnitKeys.Type));
        Assert.Null(sync.Get(UnitSections.Service, UnitKeys.Restart));
    }

    [Fact]
    public void Generate_SidecarService_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => UnitGenerator.Generate(SidecarTestSpecs.Dnsmasq(), new UnitGeneratorOptions()));
    }

    private static string PathValue(string value)
    {
        Assert.DoesNotContain("%", value.Replace("%%", "", StringComparison.Ordinal), StringComparison.Ordinal);
        return value.Replace("%%", "%", StringComparison.Ordinal);
    }
}
