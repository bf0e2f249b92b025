namespace Podwake.Specs;

/// <summary>Where the key of a side-car call comes from.</summary>
internal enum SidecarKeyKind
{
    /// <summary>The caller's network namespace, one of /run/netns/NAME; the container joins it.</summary>
    Netns,

    /// <summary>A variable of the call's environment.</summary>
    Env,

    /// <summary>A regular expression over the call's arguments.</summary>
    Arg,
}
