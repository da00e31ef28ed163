using System.Buffers.Binary;
using System.IO.Compression;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Data;

/// <summary>
/// Reads IDX files (the MNIST format; gzipped or not): a magic number 0x0000TTDD (T the element type, D the number of
/// dimensions), D big-endian int32 sizes, then the elements, big-endian. Returns a float tensor of that shape.
/// </summary>
public static class IdxDataReader
{
    /// <summary>Reads a whole IDX (or .gz) file, optionally only its first <paramref name="limit"/> entries.</summary>
    public static (Tensor Values, bool IsInteger) Read(string path, int limit = int.MaxValue)
    {
        try
        {
            using var file = File.OpenRead(path);
            Stream s = file;
            int b0 = file.ReadByte(), b1 = file.ReadByte();
            file.Position = 0;
            if (b0 == 0x1f && b1 == 0x8b) s = new GZipStream(file, CompressionMode.Decompress);
            using var bs = new BufferedStream(s, 1 << 16);
            return Read(bs, path, limit);
        }
        catch (IOException e) { throw new DataFileException(path, 0, 0, e.Message); }
        catch (InvalidDataException e) { throw new DataFileException(path, 0, 0, $"corrupt gzip stream: {e.Message}"); }
    }

    /// <summary>Reads IDX from a stream; <paramref name="path"/> is used in messages.</summary>
    public static (Tensor Values, bool IsInteger) Read(Stream s, string path, int limit = int.MaxValue)
    {
        Span<byte> head = stackalloc byte[4];
        ReadExactly(s, head, path);
        if (head[0] != 0 || head[1] != 0) throw new DataFileException(path, 0, 0, "is not an IDX file (bad magic number)");
        byte type = head[2];
        int rank = head[3];
        int width = type switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        if (width == 0) throw new DataFileException(path, 0, 0, $"unknown IDX element type 0x{type:x2}");
        var shape = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(s, dim, path);
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (shape[i] < 0) throw new DataFileException(path, 0, 0, $"negative dimension {shape[i]}");
        }
        if (rank > 0 && limit < shape[0]) shape[0] = limit;
        int n = Shapes.Size(shape);
        var raw = new byte[checked(n * width)];
        ReadExactly(s, raw, path);
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            var b = raw.AsSpan(i * width, width);
            values[i] = type switch
            {
                0x08 => b[0],
                0x09 => (sbyte)b[0],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(b),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(b),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(b),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(b),
            };
        }
        return (new Tensor(values, shape), type is 0x08 or 0x09 or 0x0B or 0x0C);
    }

    static void ReadExactly(Stream s, Span<byte> buf, string path)
    {
        try { s.ReadExactly(buf); }
        catch (EndOfStreamException) { throw new DataFileException(path, 0, 0, "ends early (truncated IDX file)"); }
    }
}
