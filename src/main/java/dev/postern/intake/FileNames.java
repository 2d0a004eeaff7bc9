package dev.postern.intake;

/** The rules for evidence file names as a browser sends them. */
public final class FileNames {
    public static final int MAX_CHARS = 255;

    private FileNames() {
    }

    /**
     * Returns the name if acceptable. Refused: empty, longer than {@value #MAX_CHARS} characters,
     * path separators, control or format characters, undecodable bytes (U+FFFD), "." and "..".
     */
    public static String check(String name) throws IntakeException {
        if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > MAX_CHARS
                || name.equals(".") || name.equals("..")) {
            throw new IntakeException(IntakeException.Reason.BAD_FILE_NAME);
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            int type = Character.getType(c);
            if (c == '/' || c == '\\' || c == 0xFFFD || Character.isISOControl(c)
                    || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
                throw new IntakeException(IntakeException.Reason.BAD_FILE_NAME);
            }
            i += Character.charCount(c);
        }
        return name;
    }
}
