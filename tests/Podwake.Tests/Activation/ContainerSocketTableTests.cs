using Podwake.Activation;
using Xunit;

namespace Podwake.Tests.Activation;

public sealed class ContainerSocketTableTests
{
    // Lines as the kernel prints them in /proc/PID/net/tcp (port 8080 = 0x1F90).
    private const string Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
    private const string Listening8080 = "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0";
    private const string Established8080 = "   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 4243 1 0000000000000000 20 4 30 10 -1";

    [Fact]
    public void ListeningSocketOnPort_IsListening() => Assert.True(ContainerSocketTable.IsListeningLine(Listening8080, 8080));

    [Fact]
    public void ListeningSocketOnOtherPort_IsNot() => Assert.False(ContainerSocketTable.IsListeningLine(Listening8080, 8081));

    [Fact]
    public void EstablishedConnectionOnPort_IsNot() => Assert.False(ContainerSocketTable.IsListeningLine(Established8080, 8080));

    [Fact]
    public void Ipv6Line_IsRead() =>
        Assert.True(ContainerSocketTable.IsListeningLine("   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0", 8080));

    [Fact]
    public void TableFile_SkipsHeader()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, [Header, Established8080, Listening8080]);
            Assert.True(ContainerSocketTable.IsListeningIn(path, 8080));
            Assert.False(ContainerSocketTable.IsListeningIn(path, 80));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void UdpTable_BoundUnconnectedSocketCounts_ConnectedOneDoesNot()
    {
        // /proc/PID/net/udp: port 53 = 0x0035; st 07 = unconnected (a server), 01 = connected (a client).
        const string bound53 = "  123: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4244 2 0000000000000000 0";
        const string connected53 = "  124: 0100007F:0035 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 4245 2 0000000000000000 0";
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, [Header, connected53]);
            Assert.False(ContainerSocketTable.IsListeningIn(path, 53, "07"));
            File.WriteAllLines(path, [Header, connected53, bound53]);
            Assert.True(ContainerSocketTable.IsListeningIn(path, 53, "07"));
            Assert.False(ContainerSocketTable.IsListeningIn(path, 53), "a UDP socket is never in the TCP listen state");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingProcess_HasNoUdpSocket() => Assert.False(ContainerSocketTable.IsUdpBound(int.MaxValue, 53));

    [Fact]
    public void MissingProcess_IsNotListening() => Assert.False(ContainerSocketTable.IsListening(int.MaxValue, 8080));
}
