using Podwake.Deploy;
using Podwake.Host;
using Podwake.Systemd;
using Xunit;

namespace Podwake.Tests.Deploy;

/// <summary>What deploy refuses for a rootless target before it changes anything: a socket file owned by another account.</summary>
public sealed class RootlessLimitsTests : IDisposable
{
    private readonly SpecFile _spec = new();
    private readonly UnixUser _me = new("alice", 1000, 1000, "/home/alice");

    public void Dispose() => _spec.Dispose();

    private DeployTarget Target(bool rootless) =>
        new(new SystemdManager(false, null, _me.Home, "/run/user/1000"), null, false, Rootless: rootless);

    [Fact]
    public void RootlessSocketOwnedByAnotherAccount_IsRefusedAtThePort()
    {
        var spec = _spec.Load("name: web\nimage: x\nports:\n  - {listen: /run/user/1000/web.sock, container: 80, owner: bob}\n");

        var problem = Assert.Single(RootlessLimits.Problems(spec, Target(rootless: true), _me));

        Assert.Equal(
            $"{_spec.Path}:4:14: error: owner: bob is another account, and a rootless service's socket file can only belong to its own (alice); remove the user from owner: (a group you are in may stay), or deploy as root",
            problem.ToString());
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("1000")]
    [InlineData("alice:web")]
    public void RootlessSocketOwnedByItsOwnAccount_IsFine(string owner)
    {
        var spec = _spec.Load($"name: web\nimage: x\nports:\n  - {{listen: /run/user/1000/web.sock, container: 80, owner: \"{owner}\"}}\n");

        Assert.Empty(RootlessLimits.Problems(spec, Target(rootless: true), _me));
    }

    [Fact]
    public void RootfulTarget_MayGiveTheSocketToAnyAccount()
    {
        var spec = _spec.Load("name: web\nimage: x\nports:\n  - {listen: /run/web.sock, container: 80, owner: bob}\n");

        Assert.Empty(RootlessLimits.Problems(spec, Target(rootless: false), _me));
    }
}
