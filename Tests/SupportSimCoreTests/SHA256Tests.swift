import SupportSimCore
import Testing

@Suite("Core: SHA-256")
struct SHA256Tests {
    @Test("Given the FIPS 180-4 test messages, when hashed, then the digests are the standard ones")
    func standardVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("Given a message fed in pieces across block edges, when hashed, then the digest equals the one-shot digest")
    func incrementalEqualsOneShot() {
        let text = String(repeating: "Привет, принтер! ", count: 20)
        var hasher = SHA256()
        for (i, byte) in text.utf8.enumerated() { hasher.update(i % 2 == 0 ? [byte] : [byte]) }
        #expect(hasher.finalizeHex() == SHA256.hex(text))
        for length in [55, 56, 63, 64, 65] {
            #expect(SHA256.hex(String(repeating: "x", count: length)).count == 64)
        }
        #expect(SHA256.hex(String(repeating: "x", count: 56)) != SHA256.hex(String(repeating: "x", count: 55)))
    }
}
