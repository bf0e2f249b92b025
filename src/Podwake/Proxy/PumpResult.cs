namespace Podwake.Proxy;

/// <summary>How a proxied connection ended: bytes each way and, on failure, which side broke it.</summary>
internal readonly record struct PumpResult(long BytesToBackend, long BytesToClient, PumpSide Failed, Exception? Error)
{
    public bool Succeeded => Failed == PumpSide.None;
}
