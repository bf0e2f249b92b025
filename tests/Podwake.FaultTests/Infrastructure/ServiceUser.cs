using System.Globalization;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Infrastructure;

/// <summary>
/// A throwaway account made before deploy (useradd -m, as an administrator would), with a service file that names it in
/// <c>user:</c>; dispose runs <c>podwake undeploy --purge</c> where deploy recorded it, then removes whatever is left
/// of the account, its home and its runtime directory.
/// </summary>
internal sealed class ServiceUser : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    private ServiceUser(string name, int uid, int gid, string home)
    {
        Name = name;
        Uid = uid;
        Gid = gid;
        Home = home;
        Service = TestNames.Unique()["podwake-".Length..];
        File = Path.Combine(_dir.Path, "service.yaml");
        TestImages.WriteBusyboxContext(_dir.Path);
        var port = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        System.IO.File.WriteAllText(
            File,
            $"name: {Service}\nimage: localhost/{Service}:1\nbuild: .\nrun_as: {name}\n"
            + $"ports: [{{listen: \"127.0.0.1:{port}\", container: 8080}}]\nready: {{tcp: 8080, timeout: 30s}}\n");
    }

    public string Name { get; }

    public int Uid { get; }

    public int Gid { get; }

    public string Home { get; }

    /// <summary>The service's name.</summary>
    public string Service { get; }

    /// <summary>The service file.</summary>
    public string File { get; }

    public string RuntimeDirectory => $"/run/user/{Uid.ToString(CultureInfo.InvariantCulture)}";

    public string UnitDirectory => Path.Combine(Home, ".config", "systemd", "user");

    public static async Task<ServiceUser> CreateAsync()
    {
        var name = "pwfh" + Guid.NewGuid().ToString("N")[..8];
        var added = await PodwakeCli.RunProgramAsync("useradd", "--create-home", "--user-group", "--shell", "/usr/sbin/nologin", name);
        Assert.True(added.ExitCode == 0, $"useradd: {added}");
        var fields = (await PodwakeCli.RunProgramAsync("getent", "passwd", name)).Stdout.Split(':');
        return new ServiceUser(name, int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture), fields[5]);
    }

    /// <summary>Makes <paramref name="relative"/> (below the home) a directory of the user's, with its parents.</summary>
    public string MakeDirectory(string relative)
    {
        var path = Home;
        foreach (var part in relative.Split('/'))
        {
            path = Path.Combine(path, part);
            Directory.CreateDirectory(path);
            Chown(path);
        }

        return path;
    }

    /// <summary>Makes <paramref name="relative"/> (below the home) a symbolic link of the user's to <paramref name="target"/>.</summary>
    public async Task<string> LinkAsync(string relative, string target)
    {
        var parent = Path.GetDirectoryName(relative);
        if (!string.IsNullOrEmpty(parent))
        {
            MakeDirectory(parent);
        }

        var link = Path.Combine(Home, relative);
        System.IO.File.CreateSymbolicLink(link, target);
        await PodwakeCli.RunProgramAsync("chown", "--no-dereference", $"{Name}:{Name}", link);
        return link;
    }

    public Task<CliResult> DeployAsync() => PodwakeCli.RunAsync("deploy", File);

    private void Chown(string path) => _ = PodwakeCli.RunProgramAsync("chown", "--no-dereference", $"{Name}:{Name}", path).GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (System.IO.File.Exists($"/etc/podwake/deployed/{Service}"))
        {
            await PodwakeCli.RunAsync("undeploy", "--purge", Service);
        }

        if ((await PodwakeCli.RunProgramAsync("getent", "passwd", Name)).ExitCode == 0)
        {
            await PodwakeCli.RunAsync("user-manager", "stop", Name);

            // What is left of this throwaway account (rootless podman's pause process), by PID.
            var left = await PodwakeCli.RunProgramAsync("ps", "-u", Uid.ToString(CultureInfo.InvariantCulture), "-o", "pid=");
            foreach (var pid in left.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await PodwakeCli.RunProgramAsync("kill", "-KILL", pid);
            }

            // userdel refuses a user with processes: wait (at most 5 s) for the killed ones to be gone.
            await Eventually.WithinAsync(
                async () => (await PodwakeCli.RunProgramAsync("ps", "-u", Uid.ToString(CultureInfo.InvariantCulture), "-o", "pid=")).Stdout.Trim().Length == 0,
                TimeSpan.FromSeconds(5));
            await PodwakeCli.RunProgramAsync("userdel", "--remove", Name);
        }

        System.IO.File.Delete($"/etc/podwake/deployed/{Service}");
        foreach (var directory in new[] { Home, RuntimeDirectory }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }

        _dir.Dispose();
    }
}
