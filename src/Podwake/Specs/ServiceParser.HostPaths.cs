using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>Host paths that the volume syntax cannot carry (kept apart: deploy's safety, not the parser's grammar).</summary>
internal sealed partial class ServiceParser
{
    /// <summary>
    /// A bind mount's resolved host path with ':' or ',' cannot be written as podman's <c>-v SOURCE:TARGET[:OPTIONS]</c>
    /// (nor as <c>--mount type=bind,source=...</c>, where ',' separates fields) or as the spec copy's volume string:
    /// <c>./www:/www:ro</c> beside <c>/tmp/a:b/</c> becomes <c>/tmp/a:b/www:/www:ro</c>, which podman reads as
    /// <c>/tmp/a</c> on <c>b/www</c>. Deploy used to fail at <c>podman create</c> after writing units and a spec copy
    /// that itself no longer loaded; refused here, with the place.
    /// </summary>
    private bool IsExpressibleHostPath(YamlNode node, string key, string resolved)
    {
        var bad = resolved.IndexOfAny([':', ',']);
        if (bad < 0)
        {
            return true;
        }

        Error(node, $"{key}: the host path {resolved} contains '{resolved[bad]}', which podman's volume syntax (SOURCE:TARGET:OPTIONS) cannot carry; "
                    + "move the service folder (or the mounted folder) to a path without ':' or ','");
        return false;
    }
}
