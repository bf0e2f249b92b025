namespace Podwake.Specs;

internal enum ReadyKind
{
    /// <summary>A TCP port in the container accepts connections.</summary>
    Tcp,

    /// <summary>GET of a path on a container port answers 2xx or 3xx.</summary>
    Http,

    /// <summary>A command run inside the container exits 0.</summary>
    Exec,
}
