using System.Runtime.CompilerServices;

namespace Phota.Emulator.Imaging;

/// <summary>Writes one row of 8-bit RGB pixels (3 bytes a pixel) for row <paramref name="y"/>.</summary>
internal delegate void RgbRowSource(int y, Span<byte> rgb);

/// <summary>
/// A deterministic landscape (sky gradient, sun with glow, two ranges of hills, furrowed fields; a head-and-shoulders
/// figure in portrait-shaped images) whose palette and layout vary with the seed. Rows are computed on demand from a
/// few per-column tables, so an image of any size costs a few arrays of its width. Smooth shading keeps
/// both PNG and JPEG output small.
/// </summary>
internal sealed class SyntheticScene
{
    private readonly int _width;
    private readonly int _height;
    private readonly float[] _farHillTop;
    private readonly float[] _nearHillTop;
    private readonly float[] _furrowCos;
    private readonly float[] _furrowSin;
    private readonly Rgb _skyTop, _skyHorizon, _sun, _farHill, _nearHill, _figure;
    private readonly float _sunX, _sunY, _sunRadius, _glow;
    private readonly float _furrowFrequency;
    private readonly bool _hasFigure;
    private readonly float _headX, _headY, _headRadius, _neckHalfWidth, _bodyY, _bodyRadiusX, _bodyRadiusY;

    public SyntheticScene(int width, int height, int seed)
    {
        _width = width;
        _height = height;
        var random = new SplitMix64((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 0x1234567);

        float hue = random.NextFloat() * 360f;
        float warmth = random.NextFloat();
        _skyTop = Rgb.FromHsv(200f + 40f * random.NextFloat(), 0.55f, 0.45f + 0.25f * random.NextFloat());
        _skyHorizon = Rgb.FromHsv(20f + 30f * warmth, 0.25f + 0.35f * warmth, 0.95f);
        _sun = Rgb.FromHsv(40f + 15f * random.NextFloat(), 0.15f + 0.2f * warmth, 1f);
        _farHill = Rgb.FromHsv(hue, 0.25f, 0.45f + 0.15f * random.NextFloat());
        _nearHill = Rgb.FromHsv(hue + 60f + 60f * random.NextFloat(), 0.45f, 0.35f + 0.15f * random.NextFloat());
        _figure = Rgb.FromHsv(hue + 180f, 0.35f, 0.25f);

        float minSide = Math.Min(width, height);
        _sunX = width * (0.15f + 0.7f * random.NextFloat());
        _sunY = height * (0.12f + 0.25f * random.NextFloat());
        _sunRadius = Math.Max(1f, minSide * (0.05f + 0.06f * random.NextFloat()));
        _glow = 0.25f + 0.35f * random.NextFloat();

        _farHillTop = HillProfile(width, height * (0.5f + 0.08f * random.NextFloat()), height * 0.07f, random);
        _nearHillTop = HillProfile(width, height * (0.7f + 0.06f * random.NextFloat()), height * 0.05f, random);

        // Furrows run diagonally across the fields: cos(f*(x + 2y)) splits into per-column and per-row factors.
        _furrowFrequency = 2f * MathF.PI / Math.Max(8f, minSide * (0.02f + 0.03f * random.NextFloat()));
        _furrowCos = new float[width];
        _furrowSin = new float[width];
        for (int x = 0; x < width; x++)
        {
            _furrowCos[x] = MathF.Cos(_furrowFrequency * x);
            _furrowSin[x] = MathF.Sin(_furrowFrequency * x);
        }

        _hasFigure = height > width * 1.1f;
        _headX = width * 0.5f;
        _headY = height * 0.59f;
        _headRadius = width * 0.13f;
        _neckHalfWidth = width * 0.055f;
        _bodyY = height * 1.08f;
        _bodyRadiusX = width * 0.42f;
        _bodyRadiusY = height * 0.36f;
    }

    private static float[] HillProfile(int width, float baseline, float amplitude, SplitMix64 random)
    {
        float f1 = 2f * MathF.PI * (1f + 2f * random.NextFloat()) / width;
        float f2 = 2f * MathF.PI * (3f + 4f * random.NextFloat()) / width;
        float p1 = 2f * MathF.PI * random.NextFloat();
        float p2 = 2f * MathF.PI * random.NextFloat();
        var top = new float[width];
        for (int x = 0; x < width; x++)
            top[x] = baseline + amplitude * (MathF.Sin(f1 * x + p1) + 0.4f * MathF.Sin(f2 * x + p2));
        return top;
    }

    // Everything the pixel loop reads is first copied to locals: the loop runs for every pixel of 4K images,
    // often in unoptimised builds, where property and field accesses are not inlined.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RenderRow(int y, Span<byte> rgb)
    {
        int width = _width;
        if (rgb.Length < width * 3)
            throw new ArgumentException("The row buffer is shorter than the image width.", nameof(rgb));

        float fy = y;
        float t = Math.Clamp(fy / (_height * 0.6f), 0f, 1f);
        Rgb sky = Rgb.Lerp(_skyTop, _skyHorizon, t);
        (float skyR, float skyG, float skyB) = (sky.R, sky.G, sky.B);
        (float sunR, float sunG, float sunB) = (_sun.R, _sun.G, _sun.B);
        float farShade = 1f - 0.25f * t;
        (float farR, float farG, float farB) = (_farHill.R * farShade, _farHill.G * farShade, _farHill.B * farShade);
        (float nearR, float nearG, float nearB) = (_nearHill.R, _nearHill.G, _nearHill.B);
        (float figureR, float figureG, float figureB) = (_figure.R, _figure.G, _figure.B);

        float sunX = _sunX, glowStrength = _glow;
        float sunDy2 = (fy - _sunY) * (fy - _sunY);
        float sunRadius2 = _sunRadius * _sunRadius;
        float sunEdge = 1f / (2f * _sunRadius);
        float groundShade = 1.05f - 0.45f * fy / _height;
        float rowCos = MathF.Cos(_furrowFrequency * 2f * fy);
        float rowSin = MathF.Sin(_furrowFrequency * 2f * fy);
        ReadOnlySpan<float> farHillTop = _farHillTop, nearHillTop = _nearHillTop, furrowCos = _furrowCos, furrowSin = _furrowSin;

        bool hasFigure = _hasFigure;
        float headX = _headX, neckHalfWidth = _neckHalfWidth, bodyRadiusX = _bodyRadiusX;
        float headDy2 = (fy - _headY) * (fy - _headY);
        float headRadius2 = _headRadius * _headRadius;
        float headEdge = 1f / (2f * Math.Max(1f, _headRadius));
        float bodyDy = (fy - _bodyY) / _bodyRadiusY;
        float bodyDy2 = bodyDy * bodyDy;
        float bodyEdge = Math.Min(_bodyRadiusX, _bodyRadiusY) * 0.5f;
        bool neckRow = fy > _headY && fy < _bodyY;

        for (int x = 0, i = 0; x < width; x++, i += 3)
        {
            float r = skyR, g = skyG, b = skyB;
            float farTop = farHillTop[x];
            if (fy < farTop + 1f)
            {
                float dx = x - sunX;
                float d2 = dx * dx + sunDy2;
                float glow = glowStrength * sunRadius2 / (d2 + sunRadius2);
                float disc = Math.Clamp((sunRadius2 - d2) * sunEdge + 0.5f, 0f, 1f);
                float lit = Math.Max(disc, glow);
                r += (sunR - r) * lit;
                g += (sunG - g) * lit;
                b += (sunB - b) * lit;
            }

            float far = Math.Clamp(fy - farTop + 0.5f, 0f, 1f);
            if (far > 0f)
            {
                r += (farR - r) * far;
                g += (farG - g) * far;
                b += (farB - b) * far;
            }

            float near = Math.Clamp(fy - nearHillTop[x] + 0.5f, 0f, 1f);
            if (near > 0f)
            {
                float shade = groundShade + 0.06f * (furrowCos[x] * rowCos - furrowSin[x] * rowSin);
                r += (nearR * shade - r) * near;
                g += (nearG * shade - g) * near;
                b += (nearB * shade - b) * near;
            }

            if (hasFigure)
            {
                float hx = x - headX;
                float head = Math.Clamp((headRadius2 - hx * hx - headDy2) * headEdge + 0.5f, 0f, 1f);
                float bx = hx / bodyRadiusX;
                float body = Math.Clamp((1f - bx * bx - bodyDy2) * bodyEdge + 0.5f, 0f, 1f);
                float neck = neckRow ? Math.Clamp(neckHalfWidth - MathF.Abs(hx) + 0.5f, 0f, 1f) : 0f;
                float figure = Math.Max(Math.Max(head, body), neck);
                if (figure > 0f)
                {
                    float shade = 1f + 0.3f * hx / width;
                    r += (figureR * shade - r) * figure;
                    g += (figureG * shade - g) * figure;
                    b += (figureB * shade - b) * figure;
                }
            }

            rgb[i] = (byte)Math.Clamp(r + 0.5f, 0f, 255f);
            rgb[i + 1] = (byte)Math.Clamp(g + 0.5f, 0f, 255f);
            rgb[i + 2] = (byte)Math.Clamp(b + 0.5f, 0f, 255f);
        }
    }

    private readonly record struct Rgb(float R, float G, float B)
    {
        public static Rgb Lerp(Rgb a, Rgb b, float t) =>
            new(a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);

        /// <summary>Hue in degrees (any value), saturation and value in 0..1; components scaled to 0..255.</summary>
        public static Rgb FromHsv(float hue, float saturation, float value)
        {
            float h = ((hue % 360f) + 360f) % 360f / 60f;
            float c = value * saturation;
            float x = c * (1f - MathF.Abs(h % 2f - 1f));
            float m = value - c;
            (float r, float g, float b) = (int)h switch
            {
                0 => (c, x, 0f),
                1 => (x, c, 0f),
                2 => (0f, c, x),
                3 => (0f, x, c),
                4 => (x, 0f, c),
                _ => (c, 0f, x),
            };
            return new Rgb((r + m) * 255f, (g + m) * 255f, (b + m) * 255f);
        }
    }

    /// <summary>A small, stable pseudo-random sequence, so a seed draws the same scene on every runtime.</summary>
    private sealed class SplitMix64(ulong state)
    {
        private ulong _state = state;

        public float NextFloat()
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 40) / (float)(1UL << 24);
        }
    }
}
