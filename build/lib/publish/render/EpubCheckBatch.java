// EPUBCheck for a batch of EPUBs in ONE Java virtual machine.
//
// Run from source (JEP 330, Java 11+; the JRE's own compiler module, no JDK
// package and no build step):
//
//   java -Duser.language=en -cp epubcheck.jar EpubCheckBatch.java OUTDIR [--usage] < paths
//
// stdin holds one EPUB path per line. For the N-th path (from 0), EPUBCheck's
// own command-line tool (com.adobe.epubcheck.tool.EpubChecker, the class
// `java -jar epubcheck.jar` runs) is called in this JVM with the arguments
// `PATH --json OUTDIR/N.json -q [--usage]`, so each report is exactly the JSON
// one `java -jar epubcheck.jar PATH --json -` run writes. After each book one
// line `N<TAB>EXIT` goes to stdout (EXIT is EpubChecker's return code: 0 no
// errors, 1 errors or warnings, 2 the run failed; -1 an exception, whose
// text follows after a second TAB). Only the JVM start, the class loading and
// the schema compilation are shared between books; every book gets a fresh
// EpubChecker, report and validation context.
import com.adobe.epubcheck.tool.EpubChecker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class EpubCheckBatch {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EpubCheckBatch OUTDIR [--usage] < paths");
            System.exit(2);
        }
        Path outdir = Path.of(args[0]);
        boolean usage = args.length > 1 && args[1].equals("--usage");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        // EpubChecker prints its own progress and summary lines; keep stdout
        // for this driver's lines and send everything else to stderr.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        int index = 0;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            List<String> call = new ArrayList<>(List.of(line, "--json", outdir.resolve(index + ".json").toString(), "-q"));
            if (usage) call.add("--usage");
            String result;
            try {
                result = Integer.toString(new EpubChecker().run(call.toArray(new String[0])));
            } catch (Throwable error) {
                result = "-1\t" + String.valueOf(error).replace('\n', ' ').replace('\t', ' ');
            }
            out.println(index + "\t" + result);
            index++;
        }
    }
}
