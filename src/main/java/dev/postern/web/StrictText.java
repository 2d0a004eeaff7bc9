package dev.postern.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 decoding that refuses malformed input instead of replacing it. */
final class StrictText {
    private StrictText() {
    }

    static String utf8(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                // NUL and other C0 controls have no place in typed text; tab and newlines do.
                if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                    throw WebError.invalidText();
                }
            }
            return s;
        } catch (CharacterCodingException e) {
            throw WebError.invalidText();
        }
    }
}
