using Podwake.FaultTests.Infrastructure;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Deploy;

/// <summary>
/// Root deploys a <c>user:</c> service into a home its user made hostile: a link from a directory deploy writes into
/// (or from a file it writes) to a place of root's. Deploy must refuse before anything changes (exit 2, the link named
/// and how to remove it), write nothing at the link's target, chown nothing there, and leave no unit, container,
/// runtime directory or record. The decoy "root folders" are root-owned temporary directories, never the real
/// <c>/etc/systemd/system</c>: the refusal happens when the link is met, whatever it points at.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class HostileHomeTests : IAsyncLifetime
{
    private readonly TempDirectory _decoy = new();
    private ServiceUser _user = null!;

    public async Task InitializeAsync()
    {
        _user = await ServiceUser.CreateAsync();
        File.WriteAllText(Path.Combine(_decoy.Path, "root-file"), "root's own\n");
    }

    public async Task DisposeAsync()
    {
        await _user.DisposeAsync();
        _decoy.Dispose();
    }

    [UserManagerFact]
    public async Task UnitDirectoryLinkedToRootFolder_RefusedAndNothingWrittenThere()
    {
        await _user.LinkAsync(".config/systemd/user", _decoy.Path);

        await DeployIsRefusedAsync(_user.UnitDirectory, $"it is a symbolic link to {_decoy.Path}", $"remove it (rm ~{_user.Name}/.config/systemd/user)");
    }

    [UserManagerFact]
    public async Task UnitDirectoryLinkedToASystemUnitFolder_RefusedAndNothingWrittenThere()
    {
        // The same path as a link to /etc/systemd/system: a root-owned folder of that shape that the test owns.
        var systemUnits = Directory.CreateDirectory(Path.Combine(_decoy.Path, "etc", "systemd", "system")).FullName;
        await _user.LinkAsync(".config/systemd/user", systemUnits);

        await DeployIsRefusedAsync(_user.UnitDirectory, $"it is a symbolic link to {systemUnits}", $"remove it (rm ~{_user.Name}/.config/systemd/user)");
        Assert.Empty(Directory.EnumerateFileSystemEntries(systemUnits));
    }

    [UserManagerFact]
    public async Task ConfigLinked_RefusedAndNothingWrittenThere()
    {
        await _user.LinkAsync(".config", _decoy.Path);

        await DeployIsRefusedAsync(Path.Combine(_user.Home, ".config"), $"it is a symbolic link to {_decoy.Path}", $"remove it (rm ~{_user.Name}/.config)");
    }

    [UserManagerFact]
    public async Task SpecCopyDirectoryLinked_RefusedAndNothingWrittenThere()
    {
        await _user.LinkAsync(".config/podwake/services", _decoy.Path);

        await DeployIsRefusedAsync(Path.Combine(_user.Home, ".config", "podwake", "services"), $"it is a symbolic link to {_decoy.Path}", $"remove it (rm ~{_user.Name}/.config/podwake/services)");
        Assert.False(Directory.Exists(_user.UnitDirectory), "deploy created the unit directory although it refused");
    }

    [UserManagerFact]
    public async Task ConfigOwnedByRoot_Refused()
    {
        Directory.CreateDirectory(Path.Combine(_user.Home, ".config"));

        await DeployIsRefusedAsync(Path.Combine(_user.Home, ".config"), $"it is owned by root, not by {_user.Name}", $"remove it or give it to {_user.Name} (chown {_user.Name}: ~{_user.Name}/.config)");
    }

    [UserManagerFact]
    public async Task UnitFileLinkedToRootFile_NotWrittenThrough_AndUndeployRemovesOnlyTheLink()
    {
        var target = Path.Combine(_decoy.Path, "root-file");
        var unit = await _user.LinkAsync($".config/systemd/user/podwake-{_user.Service}.service", target);

        await DeployIsRefusedAsync(unit, $"it is a symbolic link to {target}", $"remove it (rm ~{_user.Name}/.config/systemd/user/podwake-{_user.Service}.service)");

        // As if an earlier deploy had recorded the service for this user: undeploy then looks in the hostile home.
        Directory.CreateDirectory("/etc/podwake/deployed");
        await File.WriteAllTextAsync($"/etc/podwake/deployed/{_user.Service}", _user.Name + "\n");
        var undeploy = await PodwakeCli.RunAsync("undeploy", _user.Service);
        Assert.True(undeploy.ExitCode == 0, $"undeploy: {undeploy}");
        Assert.False(File.Exists(unit) || new FileInfo(unit).LinkTarget is not null, "undeploy left the planted link");
        Assert.Equal("root's own\n", await File.ReadAllTextAsync(target));
        AssertDecoyUntouched();
    }

    private async Task DeployIsRefusedAsync(string path, string problem, string fix)
    {
        var before = Snapshot(_decoy.Path);

        var result = await _user.DeployAsync();

        Assert.True(result.ExitCode == 2, $"deploy into a hostile home: {result}");
        Assert.True(result.Stderr.Contains($"refusing to deploy into {path}: {problem}; {fix}", StringComparison.Ordinal), $"expected \"refusing to deploy into {path}: {problem}; {fix}\": {result}");
        Assert.Equal(before, Snapshot(_decoy.Path));
        AssertDecoyUntouched();

        // Refused in the plan: no manager started (its runtime directory is made first), no image built, no record.
        Assert.False(Directory.Exists(_user.RuntimeDirectory), $"{_user.RuntimeDirectory} was created");
        Assert.False(File.Exists($"/etc/podwake/deployed/{_user.Service}"), "the deploy was recorded");
        var units = Directory.EnumerateFiles(_user.Home, $"podwake-{_user.Service}*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => new FileInfo(f).LinkTarget is null)
            .ToList();
        Assert.True(units.Count == 0, $"files written into the home: {string.Join(", ", units)}");
        var containers = await PodwakeCli.RunProgramAsync("podman", "ps", "--all", "--format", "{{.Names}}", "--filter", $"name=podwake-{_user.Service}");
        Assert.Equal("", containers.Stdout.Trim());
    }

    /// <summary>Nothing in the decoy is the user's.</summary>
    private void AssertDecoyUntouched()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(_decoy.Path, "*", SearchOption.AllDirectories).Prepend(_decoy.Path))
        {
            var uid = Stat(entry);
            Assert.True(uid == 0, $"{entry} belongs to UID {uid}, not root");
        }
    }

    private static string Snapshot(string directory) =>
        string.Join('\n', Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(e => $"{e} {Stat(e)} {(File.Exists(e) ? File.ReadAllText(e) : "dir")}"));

    private static int Stat(string path)
    {
        var result = PodwakeCli.RunProgramAsync("stat", "--format", "%u", path).GetAwaiter().GetResult();
        return int.Parse(result.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
