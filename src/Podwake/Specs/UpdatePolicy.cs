namespace Podwake.Specs;

/// <summary>As podman auto-update's policies.</summary>
internal enum UpdatePolicy
{
    None,
    Registry,
    Local,
}
