using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// <c>user:</c> as root: deploy creates the user, starts its manager and installs there; <c>undeploy --purge</c>
/// leaves no user, home, unit, container or process. A non-root deploy naming someone else is refused.
/// </summary>
public sealed class DeployUserTests
{
    [UserManagerFact(RunsAs.Rootless)]
    [Trait("runs-as", "rootless")]
    public async Task UserService_RootlessNamingAnotherUser_IsAFileErrorAndCreatesNoUser()
    {
        var user = "pwit" + Guid.NewGuid().ToString("N")[..8];
        await using var refused = new DeployedService(user);
        refused.Write();

        var result = await refused.DeployAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{refused.File}:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"run_as: {user} is another user", result.Stderr, StringComparison.Ordinal);
        Assert.False(await UserExistsAsync(user));
    }

    [UserManagerFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task UserService_AsRoot_DeployServesThenPurgeLeavesNothing()
    {
        var user = "pwit" + Guid.NewGuid().ToString("N")[..8];
        var service = new DeployedService(user);
        string home;
        int uid;
        try
        {
            service.Write(idle: "2s");
            await service.DeployOrFailAsync();
            var account = (await PodwakeCli.RunProgramAsync("getent", "passwd", user)).Stdout.Split(':');
            uid = int.Parse(account[2], System.Globalization.CultureInfo.InvariantCulture);
            home = account[5];

            var response = await RawHttp.GetAsync(service.Endpoint);
            Assert.True(response.Status == 200, $"first request: {response}");
            Assert.True(File.Exists(Path.Combine(home, ".config", "systemd", "user", $"podwake-{service.Name}.socket")));
            Assert.NotNull(await service.ContainerIdAsync());
        }
        finally
        {
            await service.DisposeAsync();
        }

        Assert.False(await UserExistsAsync(user), "the user is still there");
        Assert.False(Directory.Exists(home), $"{home} is still there");
        Assert.False(Directory.Exists($"/run/user/{uid}"), "its runtime directory is still there");
        Assert.False(File.Exists($"/etc/podwake/deployed/{service.Name}"), "the index entry is still there");
        List<string> processes = [];
        await Eventually.TrueAsync(
            async () => (processes = await LiveProcessesAsync(uid)).Count == 0,
            TimeSpan.FromSeconds(5),
            () => $"processes of the removed user: {string.Join("; ", processes)}");
        Assert.DoesNotContain($"{user}:", await File.ReadAllTextAsync("/etc/subuid"), StringComparison.Ordinal);
    }

    /// <summary>The processes of <paramref name="uid"/> but zombies, as <c>PID STAT CMD</c>.</summary>
    private static async Task<List<string>> LiveProcessesAsync(int uid) =>
        (await PodwakeCli.RunProgramAsync("ps", "-u", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", "pid=,stat=,cmd=")).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].StartsWith('Z'))
            .ToList();

    private static async Task<bool> UserExistsAsync(string user) => (await PodwakeCli.RunProgramAsync("getent", "passwd", user)).ExitCode == 0;
}
