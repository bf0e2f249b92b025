using System.Net.Sockets;
using System.Text;
using Podwake.Systemd;
using Xunit;

namespace Podwake.Tests.Systemd;

public sealed class SystemdNotifierTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Notify_SendsTheAssignmentsInOneDatagram_AsSdNotifyDoes()
    {
        var path = Path.Join(_dir.Path, "notify");
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(path));
        using var notifier = new SystemdNotifier(path);

        notifier.Notify(NotifyState.Ready, NotifyState.Status("waking podwake-x\nnow"));

        var buffer = new byte[256];
        var n = manager.Receive(buffer);
        Assert.Equal("READY=1\nSTATUS=waking podwake-x now", Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Fact]
    public void Notify_AbstractSocketName_IsReached()
    {
        var name = $"podwake-test-{Guid.NewGuid():N}";
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var notifier = new SystemdNotifier("@" + name);

        notifier.Notify(NotifyState.Stopping);

        var buffer = new byte[64];
        Assert.Equal("STOPPING=1", Encoding.UTF8.GetString(buffer, 0, manager.Receive(buffer)));
    }

    [Fact]
    public void NoNotifySocket_IsDisabledAndNotifyDoesNothing()
    {
        using var notifier = new SystemdNotifier(socketPath: null);

        notifier.Notify(NotifyState.Ready);

        Assert.False(notifier.IsEnabled);
    }
}
