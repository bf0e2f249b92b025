namespace Podwake.Proxy;

/// <summary>A datagram buffered while its service wakes: a pooled buffer and the length used of it.</summary>
internal readonly record struct HeldDatagram(byte[] Buffer, int Length)
{
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);
}
