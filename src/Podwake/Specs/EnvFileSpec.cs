namespace Podwake.Specs;

/// <summary>One <c>env_file:</c> file (podman's env-file format), read and checked when the service is loaded.</summary>
/// <param name="Path">Absolute path; deploy passes it to <c>podman create --env-file</c>.</param>
/// <param name="Variables">Its variables, in file order (a later line wins), as serve passes them.</param>
/// <param name="Hash">A digest of the file's text, so a redeploy recreates the container when the file changed.</param>
internal sealed record EnvFileSpec(string Path, IReadOnlyList<KeyValuePair<string, string>> Variables, string Hash);
