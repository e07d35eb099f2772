package tokencost.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tokencost.catalog.Catalog;
import tokencost.conf.TokencostConf;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check the conf and every catalog; list all problems (file, line, field, reason). Exit 2 if any.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        common.checkPaths().check();
        TokencostConf conf = common.conf();
        Catalog c = common.catalog(conf);
        System.out.printf("conf %s: ok%ncatalogs: ok (%d models, %d hardware, %d workloads, %d optimization levers)%n",
                conf.origin(), c.models().size(), c.hardware().size(), c.workloads().size(), c.levers().size());
        return 0;
    }
}
