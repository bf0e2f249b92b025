namespace Podwake.Proxy;

/// <summary>Which end of a proxied connection a failure is blamed on.</summary>
internal enum PumpSide
{
    None,
    Client,
    Backend,
}
