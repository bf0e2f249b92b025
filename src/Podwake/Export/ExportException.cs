using Podwake.Specs;

namespace Podwake.Export;

/// <summary>A file the export reads (a <c>pod:</c> kube file) is unusable: a user error at FILE:LINE:COL.</summary>
internal sealed class ExportException(Diagnostic diagnostic) : Exception(diagnostic.ToString())
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
