namespace Podwake.Deploy;

/// <summary>What deploy does to the service's pre-created container.</summary>
internal enum ContainerAction
{
    /// <summary>Same create command and image (the spec-hash label matches): same container ID.</summary>
    Keep,

    /// <summary>None exists yet.</summary>
    Create,

    /// <summary>One exists with another create command or image: replaced while the socket keeps listening.</summary>
    Recreate,
}
