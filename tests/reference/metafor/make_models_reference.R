# Pinned metafor 3.8-1 references for the models beyond rma.uni (issue 16):
#   rma.glmm(measure="PLO") (lme4 glmer, nAGQ = 7 and 1), rma.mh (OR, RR, RD), rma.peto,
#   rma.mv(random = ~ 1 | study/arm) + robust(cluster = study), and rma() with zero
#   sampling variances.
# Run from the repository root:  Rscript tests/reference/metafor/make_models_reference.R
# Writes tests/reference/metafor/models/<case>.json (inputs inside each file; every result block
# carries the exact R call in "call"; R errors are stored as {"call", "error"}, R warnings as
# "warnings"). Numbers use the shortest of 15/16/17 significant digits that reproduces the double.
suppressMessages({library(metafor); library(jsonlite); library(lme4)})

out_dir <- file.path("tests", "reference", "metafor", "models")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

num_text <- function(x) {
  if (is.na(x) && !is.nan(x)) return("null")
  if (is.nan(x)) return("\"NaN\"")
  if (is.infinite(x)) return(if (x > 0) "\"Inf\"" else "\"-Inf\"")
  for (d in 15:17) { s <- formatC(x, digits = d, format = "g"); if (as.numeric(s) == x) break }
  s
}
to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    nm <- names(x)
    parts <- vapply(seq_along(x), function(i) to_json(x[[i]]), "")
    if (is.null(nm)) return(paste0("[", paste(parts, collapse = ", "), "]"))
    return(paste0("{", paste0(vapply(nm, function(n) toJSON(n, auto_unbox = TRUE), ""), ": ",
                              parts, collapse = ", "), "}"))
  }
  scalar <- length(x) == 1 && is.null(attr(x, "vec"))
  if (is.factor(x)) x <- as.character(x)
  if (is.logical(x) && scalar) return(if (is.na(x)) "null" else tolower(as.character(x)))
  if (is.character(x)) {
    s <- vapply(x, function(v) if (is.na(v)) "null" else toJSON(v, auto_unbox = TRUE), "")
    return(if (scalar) s else paste0("[", paste(s, collapse = ", "), "]"))
  }
  x <- as.numeric(x)
  s <- vapply(x, num_text, "")
  if (scalar) s else paste0("[", paste(s, collapse = ", "), "]")
}
vec <- function(x) { x <- as.vector(x); attr(x, "vec") <- TRUE; x }

# evaluate a call string in env, recording the error / warnings
run <- function(call, env) {
  w <- character(0)
  val <- withCallingHandlers(
    tryCatch(eval(parse(text = call), envir = env), error = function(e) structure(conditionMessage(e), class = "r_error")),
    warning = function(x) { w <<- c(w, conditionMessage(x)); invokeRestart("muffleWarning") })
  list(value = val, warnings = unique(w))
}
with_meta <- function(block, call, warns) {
  block <- c(list(call = call), block)
  if (length(warns)) block$warnings <- vec(warns)
  block
}
err_block <- function(call, r) with_meta(list(error = as.character(r$value)), call, r$warnings)

fitstats <- function(fit) {
  fs <- fit$fit.stats
  list(ML = as.list(setNames(fs$ML, rownames(fs))), REML = as.list(setNames(fs$REML, rownames(fs))))
}
pred_block <- function(p) {
  list(pred = vec(p$pred), se = vec(p$se), ci.lb = vec(p$ci.lb), ci.ub = vec(p$ci.ub),
       pi.lb = if (is.null(p$pi.lb)) NULL else vec(p$pi.lb),
       pi.ub = if (is.null(p$pi.ub)) NULL else vec(p$pi.ub))
}
coef_block <- function(fit) {
  list(names = vec(rownames(fit$beta)), estimate = vec(fit$beta), se = vec(fit$se),
       zval = vec(fit$zval), pval = vec(fit$pval), ci.lb = vec(fit$ci.lb), ci.ub = vec(fit$ci.ub))
}

versions <- list(R = R.version.string, R_version = paste(R.version$major, R.version$minor, sep = "."),
                 metafor = as.character(packageVersion("metafor")),
                 metadat = as.character(packageVersion("metadat")),
                 lme4 = as.character(packageVersion("lme4")),
                 platform = R.version$platform,
                 blas = basename(extSoftVersion()[["BLAS"]]),
                 lapack = as.character(La_version()))
generated <- list(script = "tests/reference/metafor/make_models_reference.R",
                  date_utc = format(Sys.time(), "%Y-%m-%d", tz = "UTC"))

write_case <- function(case) {
  case <- c(list(schema_version = 1), case, list(versions = versions, generated = generated))
  path <- file.path(out_dir, paste0(case$case_id, ".json"))
  writeLines(to_json(case), path)
  cat("wrote", path, "\n")
}
inputs_of <- function(dat, notes = "") {
  cols <- lapply(as.list(dat), function(x) vec(if (is.factor(x)) as.character(x) else x))
  list(k = nrow(dat), columns = cols, notes = notes)
}

# ------------------------------------------------------------------------------------------
# GLMM for proportions: rma.glmm(measure = "PLO")
# ------------------------------------------------------------------------------------------
glmm_block <- function(call, env) {
  r <- run(call, env)
  if (inherits(r$value, "r_error")) return(err_block(call, r))
  fit <- r$value
  env$.res <- fit
  pt <- run("predict(.res, transf=transf.ilogit)", env)$value
  p <- run("predict(.res)", env)$value
  with_meta(list(
    method = fit$method, test = fit$test, k = fit$k, estimate = fit$beta[1], se = fit$se[1],
    zval = fit$zval[1], pval = fit$pval[1], ci.lb = fit$ci.lb[1], ci.ub = fit$ci.ub[1],
    tau2 = fit$tau2, I2 = fit$I2, H2 = fit$H2, vt = fit$vt,
    QE.Wld = fit$QE.Wld, QEp.Wld = fit$QEp.Wld, QE.LRT = fit$QE.LRT, QEp.LRT = fit$QEp.LRT,
    QE.df = fit$QE.df, fit.stats = fitstats(fit),
    predict = c(list(call = "predict(.res)"), pred_block(p)),
    predict_transf = c(list(call = "predict(.res, transf=transf.ilogit)"), pred_block(pt))),
    call, r$warnings)
}
glmer_block <- function(call, env) {
  r <- run(call, env)
  if (inherits(r$value, "r_error")) return(err_block(call, r))
  g <- r$value
  with_meta(list(estimate = unname(fixef(g)[1]), se = unname(sqrt(diag(as.matrix(vcov(g))))[1]),
                 se_conditional = unname(sqrt(diag(as.matrix(vcov(g, use.hessian = FALSE))))[1]),
                 tau2 = unname(VarCorr(g)[[1]][1]), logLik = c(logLik(g)), deviance = deviance(g)),
            call, r$warnings)
}

glmm_case <- function(case_id, dataset, description, dat) {
  env <- new.env(); env$dat <- dat
  fits <- list(
    ML = glmm_block("rma.glmm(measure=\"PLO\", xi=xi, ni=ni, data=dat)", env),
    ML_nAGQ1 = glmm_block("rma.glmm(measure=\"PLO\", xi=xi, ni=ni, data=dat, nAGQ=1)", env),
    FE = glmm_block("rma.glmm(measure=\"PLO\", xi=xi, ni=ni, data=dat, method=\"FE\")", env),
    ML_knha = glmm_block("rma.glmm(measure=\"PLO\", xi=xi, ni=ni, data=dat, test=\"t\")", env))
  env$dat$study <- factor(seq_len(nrow(dat)))
  lme4_direct <- list(
    nAGQ7 = glmer_block("glmer(cbind(xi, ni - xi) ~ 1 + (1 | study), data=dat, family=binomial, nAGQ=7)", env),
    nAGQ7_precise = glmer_block(paste0(
      "glmer(cbind(xi, ni - xi) ~ 1 + (1 | study), data=dat, family=binomial, nAGQ=7, ",
      "control=glmerControl(optimizer=\"bobyqa\", optCtrl=list(rhoend=1e-12, maxfun=1e5)))"), env))
  es <- escalc(measure = "PLO", xi = xi, ni = ni, data = dat)
  write_case(list(case_id = case_id, model = "rma.glmm", dataset = dataset, measure = "PLO",
                  description = description, inputs = inputs_of(dat),
                  escalc = list(call = "escalc(measure=\"PLO\", xi=xi, ni=ni, data=dat)",
                                yi = vec(es$yi), vi = vec(es$vi)),
                  fits = fits, lme4_direct = lme4_direct))
}

bcg <- dat.bcg
glmm_case("glmm_bcg_PLO", "dat.bcg",
          "BCG trials, vaccinated arm: proportion of TB cases (xi = tpos, ni = tpos + tneg)",
          data.frame(xi = bcg$tpos, ni = bcg$tpos + bcg$tneg))
glmm_case("glmm_rare_PLO", "handmade_rare",
          "Rare events in single-arm studies, several with zero events (no continuity correction needed by the GLMM)",
          data.frame(xi = c(0, 0, 2, 1, 0, 3, 1, 4), ni = c(11, 18, 37, 25, 40, 52, 14, 60)))
glmm_case("glmm_homog_PLO", "handmade_homogeneous",
          "Homogeneous proportions (random-effects variance estimated at or near 0)",
          data.frame(xi = c(10, 21, 15, 30, 12), ni = c(100, 200, 150, 300, 120)))

# ------------------------------------------------------------------------------------------
# Mantel-Haenszel and Peto
# ------------------------------------------------------------------------------------------
two_group_block <- function(call, env, transf = TRUE) {
  r <- run(call, env)
  if (inherits(r$value, "r_error")) return(err_block(call, r))
  fit <- r$value
  env$.res <- fit
  p <- run("predict(.res)", env)$value
  b <- list(k = fit$k, k.yi = fit$k.yi, estimate = fit$beta[1], se = fit$se[1], zval = fit$zval[1],
            pval = fit$pval[1], ci.lb = fit$ci.lb[1], ci.ub = fit$ci.ub[1],
            QE = fit$QE, QEp = fit$QEp, I2 = fit$I2, H2 = fit$H2,
            fit.stats = fitstats(fit),
            predict = c(list(call = "predict(.res)"), pred_block(p)))
  for (nm in c("MH", "MHp", "TA", "TAp")) if (!is.null(fit[[nm]])) b[[nm]] <- fit[[nm]]
  if (transf) {
    pt <- run("predict(.res, transf=exp)", env)$value
    b$predict_transf <- c(list(call = "predict(.res, transf=exp)"), pred_block(pt))
  }
  w <- run("weights(.res)", env)$value
  if (!inherits(w, "r_error")) b$weights <- vec(w)
  with_meta(b, call, r$warnings)
}
mh_case <- function(case_id, dataset, description, dat) {
  env <- new.env(); env$dat <- dat
  a <- "ai=ai, bi=bi, ci=ci, di=di, data=dat"
  fits <- list(
    MH_OR = two_group_block(paste0("rma.mh(", a, ", measure=\"OR\")"), env),
    MH_OR_nocorrect = two_group_block(paste0("rma.mh(", a, ", measure=\"OR\", correct=FALSE)"), env),
    MH_RR = two_group_block(paste0("rma.mh(", a, ", measure=\"RR\")"), env),
    MH_RD = two_group_block(paste0("rma.mh(", a, ", measure=\"RD\")"), env, transf = FALSE),
    PETO = two_group_block(paste0("rma.peto(", a, ")"), env))
  write_case(list(case_id = case_id, model = "rma.mh/rma.peto", dataset = dataset,
                  measure = "OR/RR/RD", description = description, inputs = inputs_of(dat),
                  fits = fits))
}
mh_case("mh_bcg", "dat.bcg",
        "BCG trials, 2x2 tables (ai,bi = vaccinated TB+/TB-, ci,di = control TB+/TB-)",
        data.frame(ai = bcg$tpos, bi = bcg$tneg, ci = bcg$cpos, di = bcg$cneg))
mh_case("mh_zero_cells", "handmade_zero_cells",
        "Sparse 2x2 tables with zero cells, one double-zero study (rare complications)",
        data.frame(ai = c(0, 2, 1, 0, 3, 0), bi = c(11, 35, 24, 20, 49, 30),
                   ci = c(1, 5, 0, 2, 6, 0), di = c(10, 33, 26, 19, 45, 28)))

# ------------------------------------------------------------------------------------------
# Multilevel model + cluster-robust SEs
# ------------------------------------------------------------------------------------------
mv_block <- function(call, env) {
  r <- run(call, env)
  if (inherits(r$value, "r_error")) return(err_block(call, r))
  fit <- r$value
  env$.res <- fit
  p <- run("predict(.res)", env)$value
  b <- list(method = fit$method, test = fit$test, k = fit$k, sigma2 = vec(fit$sigma2),
            s.nlevels = vec(fit$s.nlevels), coefficients = coef_block(fit),
            QE = fit$QE, QEp = fit$QEp, QE.df = fit$k - fit$p, QM = fit$QM, QMp = fit$QMp,
            fit.stats = fitstats(fit), predict = c(list(call = "predict(.res)"), pred_block(p)))
  rb <- run("robust(.res, cluster=dat$study)", env)
  if (inherits(rb$value, "r_error")) {
    b$robust <- err_block("robust(.res, cluster=dat$study)", rb)
  } else {
    ro <- rb$value
    env$.rob <- ro
    pr <- run("predict(.rob)", env)$value
    b$robust <- with_meta(list(coefficients = coef_block(ro), dfs = ro$dfs, QM = ro$QM,
                               QMdf = vec(ro$QMdf), QMp = ro$QMp, n_clusters = ro$n,
                               predict = c(list(call = "predict(.rob)"), pred_block(pr))),
                          "robust(.res, cluster=dat$study)", rb$warnings)
  }
  with_meta(b, call, r$warnings)
}
mv_case <- function(case_id, dataset, description, dat, mods_call = NULL) {
  env <- new.env(); env$dat <- dat
  fits <- list(
    REML = mv_block("rma.mv(yi, vi, random = ~ 1 | study/arm, data=dat)", env),
    ML = mv_block("rma.mv(yi, vi, random = ~ 1 | study/arm, data=dat, method=\"ML\")", env),
    REML_t = mv_block("rma.mv(yi, vi, random = ~ 1 | study/arm, data=dat, test=\"t\")", env))
  if (!is.null(mods_call)) fits$REML_mods <- mv_block(mods_call, env)
  write_case(list(case_id = case_id, model = "rma.mv", dataset = dataset, measure = "GEN",
                  description = description, inputs = inputs_of(dat), fits = fits))
}
k11 <- dat.konstantopoulos2011
mv_case("mv_konstantopoulos2011", "dat.konstantopoulos2011",
        "56 schools (arm) in 11 districts (study); standardized mean differences",
        data.frame(study = k11$district, arm = k11$school, year = k11$year, yi = k11$yi, vi = k11$vi),
        mods_call = "rma.mv(yi, vi, mods = ~ I(year - 1990), random = ~ 1 | study/arm, data=dat)")
mv_case("mv_arms_small", "handmade_arms",
        "Six studies reporting 1-3 arms or time points each (arm effects nested in study)",
        data.frame(study = c(1, 1, 2, 3, 3, 3, 4, 5, 5, 6),
                   arm = c(1, 2, 1, 1, 2, 3, 1, 1, 2, 1),
                   yi = c(0.42, 0.31, 0.10, 0.65, 0.58, 0.80, -0.05, 0.22, 0.35, 0.50),
                   vi = c(0.04, 0.05, 0.02, 0.06, 0.05, 0.07, 0.03, 0.04, 0.045, 0.08)))

# ------------------------------------------------------------------------------------------
# Zero sampling variances in rma()
# ------------------------------------------------------------------------------------------
rma_block <- function(call, env) {
  r <- run(call, env)
  if (inherits(r$value, "r_error")) return(err_block(call, r))
  fit <- r$value
  env$.res <- fit
  p <- run("predict(.res)", env)$value
  ci <- run("confint(.res)", env)
  b <- list(method = fit$method, test = fit$test, k = fit$k, estimate = fit$beta[1], se = fit$se[1],
            zval = fit$zval[1], pval = fit$pval[1], ci.lb = fit$ci.lb[1], ci.ub = fit$ci.ub[1],
            tau2 = fit$tau2, se.tau2 = fit$se.tau2, I2 = fit$I2, H2 = fit$H2, QE = fit$QE,
            QEp = fit$QEp, fit.stats = fitstats(fit),
            predict = c(list(call = "predict(.res)"), pred_block(p)),
            weights = vec(weights(fit)))
  if (nrow(fit$beta) > 1) b$coefficients <- coef_block(fit)
  if (!is.null(fit$QM)) { b$QM <- fit$QM; b$QMp <- fit$QMp }
  b$confint <- if (inherits(ci$value, "r_error")) err_block("confint(.res)", ci) else list(call = "confint(.res)")
  with_meta(b, call, r$warnings)
}
methods <- c("FE", "EE", "DL", "REML", "ML", "PM", "HS", "SJ", "EB", "HE")
zero_case <- function(case_id, description, dat, mods = FALSE) {
  env <- new.env(); env$dat <- dat
  fits <- list(); fits_knha <- list(); fits_mods <- list()
  for (m in methods) {
    fits[[m]] <- rma_block(sprintf("rma(yi, vi, data=dat, method=\"%s\")", m), env)
    fits_knha[[m]] <- rma_block(sprintf("rma(yi, vi, data=dat, method=\"%s\", test=\"knha\")", m), env)
    if (mods) fits_mods[[m]] <- rma_block(sprintf("rma(yi, vi, mods = ~ x, data=dat, method=\"%s\")", m), env)
  }
  case <- list(case_id = case_id, model = "rma.uni", dataset = "handmade", measure = "GEN",
               description = description, inputs = inputs_of(dat), fits = fits,
               fits_knha = fits_knha)
  if (mods) case$fits_mods <- fits_mods
  write_case(case)
}
zero_case("zero_vi_one", "One study with a zero sampling variance (e.g. an RD without correction)",
          data.frame(yi = c(0.1, 0.3, -0.2, 0.5, 0.25, 0.05), vi = c(0.04, 0, 0.02, 0.05, 0.03, 0.025),
                     x = c(1, 2, 3, 4, 5, 6)), mods = TRUE)
zero_case("zero_vi_two", "Two studies with zero sampling variances",
          data.frame(yi = c(0.1, 0.3, -0.2, 0.5, 0.25), vi = c(0, 0.01, 0, 0.02, 0.03)))
zero_case("zero_vi_all", "All sampling variances zero",
          data.frame(yi = c(0.1, 0.3, -0.2, 0.5, 0.25), vi = c(0, 0, 0, 0, 0)))
zero_case("zero_vi_homog", "One zero sampling variance and homogeneous effects (tau2 estimates near 0)",
          data.frame(yi = c(0.20, 0.21, 0.19, 0.205, 0.2), vi = c(0.04, 0, 0.02, 0.05, 0.03)))
