using Podwake.Deploy;
using Podwake.Host;
using Podwake.Systemd;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Deploy;

public sealed class LastUpdateRecordTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Write_ThenRead_GivesTheResult_BesideTheActivatorsLastState()
    {
        var target = new DeployTarget(new SystemdManager(false, null, _dir.Path, _dir.Path), null, false, Rootless: true);
        var result = new UpdateResult
        {
            Service = "web", Image = "localhost/web:1", Outcome = UpdateOutcome.RolledBack,
            From = "sha256:" + new string('a', 64), To = "sha256:" + new string('b', 64), Reason = "not ready", At = DateTimeOffset.UnixEpoch,
        };

        await LastUpdateRecord.WriteAsync(target, result, CancellationToken.None);

        var paths = LastUpdateRecord.PathsOf(target);
        Assert.Equal(RuntimePaths.ForUser(_dir.Path), paths);
        Assert.Equal(Path.GetDirectoryName(paths.LastStateFile("web")), Path.GetDirectoryName(LastUpdateRecord.PathOf(paths, "web")));
        Assert.Equal(result, LastUpdateRecord.Read(paths, "web"));
        Assert.Null(LastUpdateRecord.Read(paths, "other"));
    }

    [Fact]
    public void PathsOf_Rootful_IsRootsRuntimeDirectory()
    {
        Assert.Equal(RuntimePaths.ForRoot, LastUpdateRecord.PathsOf(new DeployTarget(SystemdManager.System, null, false, Rootless: false)));
    }
}
