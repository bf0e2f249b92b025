namespace Podwake.Specs;

internal enum Protocol
{
    Tcp,
    Udp,
}
