using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Podwake.Specs;

/// <summary>Reads one service file's text: a regular file of at most <see cref="MaxBytes"/>, strict UTF-8.</summary>
/// <remarks>
/// Measured before these limits: a FIFO named as the service file hung validate forever (open blocks for a writer);
/// a 50 MB value was accepted (385 MB RSS for validate, more for serve); invalid UTF-8 became U+FFFD silently.
/// </remarks>
internal static partial class SpecFileReader
{
    /// <summary>1 MiB: the largest service file podwake reads (README, "Limits"); real ones are under 2 KB.</summary>
    public const int MaxBytes = 1024 * 1024;

    private const int ORdOnly = 0;
    private const int ONoctty = 0x100;
    private const int ONonblock = 0x800;
    private const int OCloexec = 0x80000;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const int SIfmt = 0xF000;
    private const int SIfreg = 0x8000;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text, or null and <paramref name="problem"/> (with its position when it has one).</summary>
    public static string? Read(string file, out Diagnostic? problem)
    {
        problem = null;

        // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer; the type is checked on the open fd.
        var fd = Open(file, ORdOnly | ONonblock | OCloexec | ONoctty);
        if (fd < 0)
        {
            problem = new Diagnostic(SourceLocation.ForFile(file), $"cannot read the file: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            return null;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Span<byte> stat = stackalloc byte[256];
        if (Statx(fd, "", AtEmptyPath, StatxType | StatxSize, ref MemoryMarshal.GetReference(stat)) != 0)
        {
            problem = new Diagnostic(SourceLocation.ForFile(file), $"cannot read the file: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            return null;
        }

        // struct statx (linux/stat.h, the same on every architecture): stx_mode at 28, stx_size at 40.
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(stat[28..]);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(stat[40..]);
        if ((mode & SIfmt) != SIfreg)
        {
            problem = new Diagnostic(SourceLocation.ForFile(file), $"is {Kind(mode)}, not a regular file; name a service file (*.yaml)");
            return null;
        }

        if (size > MaxBytes)
        {
            problem = TooLarge(file, $"{size} bytes");
            return null;
        }

        // Read one byte past the limit: the file may have grown since statx. Pooled: a fresh 1 MiB array per file
        // was most of the cost of loading a small one.
        var bytes = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            return ReadText(file, handle, bytes, out problem);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static string? ReadText(string file, SafeFileHandle handle, byte[] bytes, out Diagnostic? problem)
    {
        problem = null;
        var length = 0;
        int read;
        while (length <= MaxBytes && (read = RandomAccess.Read(handle, bytes.AsSpan(length, MaxBytes + 1 - length), length)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            problem = TooLarge(file, $"more than {MaxBytes} bytes");
            return null;
        }

        var text = bytes.AsSpan(0, length);
        var bom = text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            return Strict.GetString(text[bom..]);
        }
        catch (DecoderFallbackException)
        {
            problem = new Diagnostic(InvalidUtf8(file, text, bom), "invalid UTF-8 here; save the file as UTF-8");
            return null;
        }
    }

    private static Diagnostic TooLarge(string file, string size) => new(
        new SourceLocation(file, 1, 1),
        $"the file is {size}; a service file may be at most 1 MiB ({MaxBytes} bytes): is this the right file?");

    /// <summary>Line and column (in characters, as YAML positions count) of the first byte that is not UTF-8.</summary>
    private static SourceLocation InvalidUtf8(string file, ReadOnlySpan<byte> text, int start)
    {
        var (line, column) = (1, 1);
        var offset = start;
        while (offset < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[offset..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                break;
            }

            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + 1);
            offset += consumed;
        }

        return new SourceLocation(file, line, column);
    }

    private static string Kind(int mode) => (mode & SIfmt) switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "a special file",
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
