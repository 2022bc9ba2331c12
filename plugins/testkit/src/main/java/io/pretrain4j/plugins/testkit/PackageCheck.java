package io.pretrain4j.plugins.testkit;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayList;
import java.util.List;

/**
 * Asserts that the packages the rules name exist in the imported classes, so a misspelt or moved
 * package cannot make a rule pass by having nothing to check.
 */
public final class PackageCheck {
    private PackageCheck() {}

    /**
     * Fails unless each package has at least one class (in it or below it).
     *
     * @throws AssertionError naming the missing packages
     */
    public static void assertPackagesExist(JavaClasses classes, String... packages) {
        List<String> missing = new ArrayList<>();
        for (String name : packages) {
            boolean found = false;
            for (JavaClass type : classes) {
                String packageName = type.getPackageName();
                if (packageName.equals(name) || packageName.startsWith(name + ".")) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("No classes found in package(s) " + missing + " named by the architecture rules;"
                    + " a rule over a missing package checks nothing. Fix the name or the import.");
        }
    }
}
