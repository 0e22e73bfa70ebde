namespace Phota.Testing;
